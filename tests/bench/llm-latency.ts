// npx tsx tests/bench/llm-latency.ts   (not part of the test suite)
// The latency the explanation step adds, against the local fake OpenAI-compatible server
// (loopback HTTP, SSE stream of 8 chunks, no model time): p50/p95 of 50 uncached calls (the full
// request: prompt, redaction, HTTP, stream, validation, policy) and of 50 cache hits, with the
// rule diagnosis of the same log for scale. BENCH_CALLS changes the count.
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import { loadTaxonomy } from '../../server/diagnosis/taxonomy-loader.js';
import { memoryCache } from '../../server/llm/cache.js';
import { explainDiagnosis } from '../../server/llm/explain.js';
import { TORCH_CUDA_OOM } from '../fixtures/crash-logs.js';
import { startFakeOpenAI } from '../llm/fake-openai.js';

const N = Number(process.env.BENCH_CALLS ?? 50);
const tax = loadTaxonomy();
const ids = tax.patterns.map((p) => p.id);
const d = diagnoseText(tax, TORCH_CUDA_OOM);
const answer = JSON.stringify({
  root_cause: d.root_cause, failure_category: d.category, confidence: 0.8,
  explanation: 'The step asked for 2 GiB more while 78.08 GiB were already in use on a 79.15 GiB GPU (line 6): the batch does not fit.',
  recommended_fix: 'Halve batch_size and double gradient_accumulation_steps.',
});
const server = await startFakeOpenAI(() => ({ content: answer, chunks: 8 }));
const config = { baseUrl: server.baseUrl, model: 'Qwen/Qwen2.5-7B-Instruct', apiKey: 'bench', timeoutMs: 8000 };

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(2)} ms, p95 ${pct(xs, 95).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms`;

async function timeCall(cache: ReturnType<typeof memoryCache>, expectCached: boolean) {
  let first = -1;
  const t0 = performance.now();
  const e = await explainDiagnosis(d, { log: TORCH_CUDA_OOM }, { config, taxonomyIds: ids, cache, onToken: () => { if (first < 0) first = performance.now() - t0; } });
  const ms = performance.now() - t0;
  if (e.source !== 'llm' || e.cached !== expectCached) throw new Error(`unexpected result: ${JSON.stringify(e)}`);
  return { ms, first };
}

for (let i = 0; i < 5; i++) await timeCall(memoryCache(), false); // warm up the JIT and the keep-alive socket
const rules: number[] = [];
for (let i = 0; i < N; i++) { const t = performance.now(); diagnoseText(tax, TORCH_CUDA_OOM); rules.push(performance.now() - t); }
const uncached: number[] = [];
const firstToken: number[] = [];
for (let i = 0; i < N; i++) {
  const r = await timeCall(memoryCache(), false);
  uncached.push(r.ms);
  firstToken.push(r.first);
}
const cache = memoryCache();
await timeCall(cache, false);
const cached: number[] = [];
for (let i = 0; i < N; i++) cached.push((await timeCall(cache, true)).ms);
const requests = server.requests.length;
await server.close();

console.log(`LLM explanation latency, ${N} calls each, local fake server on loopback (Node ${process.version})`);
console.log(`  rule diagnosis alone (diagnoseText):  ${fmt(rules)}`);
console.log(`  explanation, uncached (HTTP + SSE):   ${fmt(uncached)}`);
console.log(`    first streamed token after:         ${fmt(firstToken)}`);
console.log(`  explanation, cache hit:               ${fmt(cached)}`);
console.log(`  server requests: ${requests} (${5 + N + 1} uncached calls; the ${N} hits sent none)`);
