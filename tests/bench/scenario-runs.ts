// npm run bench:runs [-- --runs 200 --mode replay]
// Starts the built server (a fresh process, its own DATA_DIR), starts N scenario runs at once
// through POST /api/runs, reads every SSE event stream to its end, and checks that every run
// completed with 9 steps in order and none was lost. Prints wall time, per-run latency, peak RSS.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' }, mode: { type: 'string', default: 'replay' } } });
const N = Number(values.runs);
const root = fileURLToPath(new URL('../..', import.meta.url));
const port = await new Promise<number>((resolve) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); }); });
const server = spawn(process.execPath, [join(root, 'dist/server/main.js')], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: mkdtempSync(join(tmpdir(), 'replaylab-bench-')) },
  stdio: ['ignore', 'ignore', 'inherit'],
});
let peakMiB = 0;
const poll = setInterval(() => {
  try { peakMiB = Math.max(peakMiB, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024); } catch { /* not yet */ }
}, 50);
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 200; i++) {
  try { if ((await fetch(`${base}/api/scenarios`)).ok) break; } catch { /* starting */ }
  await new Promise((r) => setTimeout(r, 100));
}
const { scenarios } = (await (await fetch(`${base}/api/scenarios`)).json()) as { scenarios: { id: string }[] };

async function one(i: number): Promise<{ ms: number; steps: number[]; complete: boolean; verdict?: string }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: scenarios[i % scenarios.length].id, mode: values.mode }) });
  const { id } = (await res.json()) as { id: string };
  const stream = await fetch(`${base}/api/runs/${id}/events`);
  const steps: number[] = [];
  let complete = false;
  let verdict: string | undefined;
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const message = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(message)?.[1];
      const data = message.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
      if (event === 'generating') steps.push(JSON.parse(data).seq);
      if (event === 'complete') { complete = true; verdict = verdictOf(data); }
    }
    if (complete) break;
  }
  return { ms: performance.now() - t0, steps, complete, verdict };
}

function verdictOf(data: string): string | undefined {
  const d = JSON.parse(data) as { verdict?: string; result?: { verdict?: string } };
  return d.verdict ?? d.result?.verdict;
}

const t0 = performance.now();
let results: Awaited<ReturnType<typeof one>>[];
try {
  results = await Promise.all(Array.from({ length: N }, (_, i) => one(i)));
} finally {
  clearInterval(poll);
  server.kill('SIGTERM');
}
const wall = performance.now() - t0;
const ok = results.filter((r) => r.complete && r.steps.join(',') === '1,2,3,4,5,6,7,8,9');
const ms = results.map((r) => r.ms).sort((a, b) => a - b);
const q = (p: number) => (ms[Math.floor(p * (ms.length - 1))] / 1000).toFixed(1);
const verdicts = results.reduce<Record<string, number>>((m, r) => ({ ...m, [r.verdict ?? 'none']: (m[r.verdict ?? 'none'] ?? 0) + 1 }), {});
console.log(`${N} scenario runs started at once (mode ${values.mode}), every SSE stream read to its end`);
console.log(`  complete with steps 1..9 in order: ${ok.length}/${N}; lost: ${N - ok.length}; verdicts ${JSON.stringify(verdicts)}`);
console.log(`  wall ${(wall / 1000).toFixed(1)} s; per run (POST to complete) p50 ${q(0.5)} s, p95 ${q(0.95)} s, max ${q(1)} s; server peak RSS ${peakMiB.toFixed(0)} MiB`);
process.exit(ok.length === N ? 0 : 1);
