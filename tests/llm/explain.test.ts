/** The explanation step against a real loopback server speaking the chat-completions protocol. */
import { afterEach, describe, expect, it } from 'vitest';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import { memoryCache } from '../../server/llm/cache.js';
import type { LlmConfig } from '../../server/llm/config.js';
import { explainDiagnosis, NOT_CONFIGURED, type Explanation, type LlmExplanation } from '../../server/llm/explain.js';
import type { Answer } from '../../server/llm/schema.js';
import { TORCH_CUDA_OOM, VLLM_COMMAND, VLLM_CONTEXT_TOO_LONG } from '../fixtures/crash-logs.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';
import { closedPort, startFakeOpenAI, type FakeServer, type Reply } from './fake-openai.js';

const tax = builtinTaxonomy();
const ids = tax.patterns.map((p) => p.id);
const oom = diagnoseText(tax, TORCH_CUDA_OOM);
const ctx = diagnoseText(tax, VLLM_CONTEXT_TOO_LONG, VLLM_COMMAND);

const EXPLANATION = 'The step asked for 2 GiB more while 78.08 GiB were already in use on a 79.15 GiB GPU (line 6), so the batch does not fit.';
const answer = (over: Partial<Answer> = {}) => JSON.stringify({
  root_cause: 'The batch needs more memory than the GPU has left.', failure_category: 'batch_too_large_runtime',
  explanation: EXPLANATION, recommended_fix: 'Halve batch_size and double gradient_accumulation_steps.', confidence: 0.8, ...over,
});

let server: FakeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

async function serve(script: (req: { body: Record<string, any> }, i: number) => Reply) {
  server = await startFakeOpenAI(script);
  return server;
}
const cfg = (baseUrl: string, timeoutMs = 5000): LlmConfig => ({ baseUrl, model: 'Qwen/Qwen2.5-7B-Instruct', apiKey: 'test-key', timeoutMs });

async function explain(config: LlmConfig | null, d = oom, log = TORCH_CUDA_OOM, extra: { cache?: ReturnType<typeof memoryCache>; onToken?: (t: string) => void } = {}) {
  const t0 = performance.now();
  const result = await explainDiagnosis(d, { log }, { config, taxonomyIds: ids, cache: extra.cache ?? memoryCache(), onToken: extra.onToken });
  return { result, elapsed: performance.now() - t0 };
}
const llm = (e: Explanation): LlmExplanation => {
  if (e.source !== 'llm') throw new Error(`expected an explanation, got: ${e.reason}`);
  return e;
};
const reasonOf = (e: Explanation) => (e.source === 'none' ? e.reason : `an explanation (${e.category})`);

describe('explainDiagnosis against a loopback OpenAI-compatible server', () => {
  it('explains a diagnosis it agrees with, asking for json_schema and a stream', async () => {
    const s = await serve(() => ({ content: answer() }));
    const e = llm((await explain(cfg(s.baseUrl))).result);
    expect(e).toMatchObject({ model: 'Qwen/Qwen2.5-7B-Instruct', text: EXPLANATION, category: 'batch_too_large_runtime', agrees: true, category_stands: 'rules', cached: false, adopted: true });
    expect(e.latency_ms).toBeGreaterThan(0);
    expect(s.requests).toHaveLength(1);
    const body = s.requests[0].body;
    expect(body).toMatchObject({ model: 'Qwen/Qwen2.5-7B-Instruct', stream: true, response_format: { type: 'json_schema', json_schema: { strict: true } } });
    expect(body.response_format.json_schema.schema.properties.failure_category.enum).toEqual(ids);
    expect(s.requests[0].headers.authorization).toBe('Bearer test-key');
  });

  it('streams the explanation to onToken in order, escapes decoded, across chunk boundaries', async () => {
    const text = 'Line 6 says "CUDA out of memory".\nTried to allocate 2.00 GiB — café \\ done.';
    const s = await serve(() => ({ content: answer({ explanation: text }), chunks: 41, chunkDelayMs: 2 }));
    const tokens: string[] = [];
    const e = llm((await explain(cfg(s.baseUrl), oom, TORCH_CUDA_OOM, { onToken: (t) => tokens.push(t) })).result);
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join('')).toBe(text);
    expect(e.text).toBe(text);
  });

  it('takes a plain JSON completion from a server that ignores stream: true', async () => {
    const s = await serve(() => ({ content: '```json\n' + answer() + '\n```', ignoreStream: true }));
    const tokens: string[] = [];
    const e = llm((await explain(cfg(s.baseUrl), oom, TORCH_CUDA_OOM, { onToken: (t) => tokens.push(t) })).result);
    expect(e.text).toBe(EXPLANATION);
    expect(tokens.join('')).toBe(EXPLANATION);
  });

  it('shows a disagreement; the model category stands only when it is an alternative and cites the evidence', async () => {
    expect(oom.alternatives.map((a) => a.category)).toContain('model_too_large');
    let s = await serve(() => ({ content: answer({ failure_category: 'model_too_large', explanation: 'The weights alone fill the GPU: line 6 shows 75.31 GiB allocated by PyTorch.' }) }));
    let e = llm((await explain(cfg(s.baseUrl))).result);
    expect(e).toMatchObject({ category: 'model_too_large', agrees: false, category_stands: 'model' });
    await s.close();
    s = await serve(() => ({ content: answer({ failure_category: 'nccl_error', explanation: 'A peer rank died.' }) }));
    e = llm((await explain(cfg(s.baseUrl))).result);
    expect(e).toMatchObject({ category: 'nccl_error', agrees: false, category_stands: 'rules' });
  });

  it('never adopts an unsafe recommendation', async () => {
    const s = await serve(() => ({ content: answer({ failure_category: 'context_length_exceeded', recommended_fix: 'Set VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 and keep --max-model-len 65536.', confidence: 1 }) }));
    const e = llm((await explain(cfg(s.baseUrl), ctx, VLLM_CONTEXT_TOO_LONG)).result);
    expect(e).toMatchObject({ agrees: true, adopted: false });
    expect(e.not_adopted_reason).toMatch(/VLLM_ALLOW_LONG_MAX_MODEL_LEN/);
  });

  it.each([
    ['invalid JSON', 'The batch is too large, sorry, no JSON today.', /not valid JSON/],
    ['a schema mismatch', answer({ confidence: 7 }), /does not match the schema.*confidence/],
    ['a category outside the taxonomy', answer({ failure_category: 'cosmic_rays' }), /outside the taxonomy.*cosmic_rays/],
  ])('falls back on %s', async (_name, content, reason) => {
    const s = await serve(() => ({ content }));
    const { result } = await explain(cfg(s.baseUrl));
    expect(result.source).toBe('none');
    expect(reasonOf(result)).toMatch(reason);
  });

  it('falls back when the stream itself is not JSON', async () => {
    const s = await serve(() => ({ raw: 'data: {not json\n\n', contentType: 'text/event-stream' }));
    expect(reasonOf((await explain(cfg(s.baseUrl))).result)).toMatch(/not valid JSON/);
  });

  it.each([
    ['the headers are late', { content: answer(), delayMs: 10_000 }],
    ['the stream stalls', { content: answer(), chunks: 20, chunkDelayMs: 1000 }],
  ] as const)('gives up within the timeout when %s', async (_what, reply) => {
    const s = await serve(() => reply);
    const { result, elapsed } = await explain(cfg(s.baseUrl, 700));
    expect(reasonOf(result)).toMatch(/within 700 ms/);
    expect(elapsed).toBeLessThan(700 + 2000);
  });

  it('reports HTTP 500 with its status after exactly one retry', async () => {
    const s = await serve(() => ({ status: 500, message: 'engine crashed' }));
    const { result } = await explain(cfg(s.baseUrl));
    expect(reasonOf(result)).toMatch(/HTTP 500.*engine crashed/);
    expect(s.requests).toHaveLength(2);
  });

  it('reports a refused connection quickly', async () => {
    const port = await closedPort();
    const { result, elapsed } = await explain(cfg(`http://127.0.0.1:${port}/v1`));
    expect(reasonOf(result)).toMatch(/connection refused/);
    expect(elapsed).toBeLessThan(2000);
  });

  it('retries once without response_format when the server rejects json_schema', async () => {
    const s = await serve((req) => (req.body.response_format ? { status: 400, message: 'json_schema is not supported' } : { content: answer() }));
    const e = llm((await explain(cfg(s.baseUrl))).result);
    expect(e.text).toBe(EXPLANATION);
    expect(s.requests.map((r) => r.body.response_format?.type ?? 'none')).toEqual(['json_schema', 'none']);
    expect(s.requests[1].body.messages[0].content).toMatch(/bare JSON object/);
  });

  it('stops after the plain retry when that is rejected too', async () => {
    const s = await serve(() => ({ status: 400, message: 'bad request' }));
    expect(reasonOf((await explain(cfg(s.baseUrl))).result)).toMatch(/HTTP 400/);
    expect(s.requests).toHaveLength(2);
  });

  it('serves the second call from the cache without reaching the server', async () => {
    const s = await serve(() => ({ content: answer() }));
    const cache = memoryCache();
    const first = llm((await explain(cfg(s.baseUrl), oom, TORCH_CUDA_OOM, { cache })).result);
    const tokens: string[] = [];
    const second = llm((await explain(cfg(s.baseUrl), oom, TORCH_CUDA_OOM, { cache, onToken: (t) => tokens.push(t) })).result);
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ cached: true, text: EXPLANATION, category: first.category, agrees: first.agrees });
    expect(second.latency_ms).toBeLessThan(first.latency_ms + 50);
    expect(tokens).toEqual([EXPLANATION]);
    expect(s.requests).toHaveLength(1);
    // another model is another key
    await explain({ ...cfg(s.baseUrl), model: 'other/model' }, oom, TORCH_CUDA_OOM, { cache });
    expect(s.requests).toHaveLength(2);
  });

  it('skips the step, without an error, when no endpoint is configured', async () => {
    const { result } = await explain(null);
    expect(result).toEqual({ source: 'none', reason: NOT_CONFIGURED });
  });
});
