// npm run bench:diagnose
// 1. End to end: `replaylab diagnose --json` (the compiled CLI, a fresh process) on a >= 100 MB
//    realistic log whose failure is at the very end: wall time, MB/s, peak RSS (VmHWM).
// 2. In process: latency of diagnoseText on a typical 20 KB log (p50 / p95 / p99).
import { spawn } from 'node:child_process';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnoseStream, diagnoseText } from '../../server/diagnosis/diagnose.js';
import { loadTaxonomy } from '../../server/diagnosis/taxonomy-loader.js';
import { KV_FAILURE, writeNoiseLog } from './noise-log.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MB = 1e6;
const size = Number(process.env.BENCH_LOG_MB ?? 100) * 1024 * 1024;
const logPath = join(tmpdir(), `replaylab-bench-${size}.log`);
await writeNoiseLog(logPath, size, KV_FAILURE);
const bytes = statSync(logPath).size;

function runCli(): Promise<{ ms: number; peakMiB: number; category: string; line: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(root, 'bin/replaylab.js'), 'diagnose', '--json', logPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let peak = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) / 1024);
      } catch { /* exited */ }
    }, 5);
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = performance.now() - t0;
      if (code !== 0) return reject(new Error(`exit ${code}`));
      const d = JSON.parse(out);
      resolve({ ms, peakMiB: peak, category: d.category, line: d.evidence.at(-1)?.line ?? 0 });
    });
  });
}

const runs = [];
for (let i = 0; i < 3; i++) runs.push(await runCli());
runs.sort((a, b) => a.ms - b.ms);
const med = runs[1];
console.log(`end to end: replaylab diagnose --json on ${(bytes / MB).toFixed(1)} MB (${(bytes / 2 ** 20).toFixed(0)} MiB), failure on line ${med.line}`);
console.log(`  category ${med.category}; wall ${runs.map((r) => r.ms.toFixed(0)).join(' / ')} ms (median ${med.ms.toFixed(0)} ms)`);
console.log(`  throughput ${(bytes / MB / (med.ms / 1000)).toFixed(0)} MB/s end to end (incl. process start); peak RSS ${Math.max(...runs.map((r) => r.peakMiB)).toFixed(0)} MiB`);

// The scan alone, in this process (no start-up, no taxonomy load): the steady-state rate.
const tax = loadTaxonomy();
{
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await diagnoseStream(tax, createReadStream(logPath, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`in process: diagnoseStream over the same file: median ${times[1].toFixed(0)} ms = ${(bytes / MB / (times[1] / 1000)).toFixed(0)} MB/s (scan rate without process start-up)`);
}

// A typical 20 KB log: the same noise, cut to 20 KB, with the failure at the end.
const head = readFileSync(logPath).subarray(0, 20 * 1024 - KV_FAILURE.length).toString('utf8');
const small = `${head.slice(0, head.lastIndexOf('\n') + 1)}${KV_FAILURE}`;
for (let i = 0; i < 200; i++) diagnoseText(tax, small); // warm up the JIT
const times: number[] = [];
for (let i = 0; i < 2000; i++) {
  const t = performance.now();
  diagnoseText(tax, small);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.floor(p * (times.length - 1))].toFixed(3);
console.log(`in process: diagnoseText on ${(Buffer.byteLength(small) / 1024).toFixed(1)} KB: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms (${times.length} runs; category ${diagnoseText(tax, small).category})`);
