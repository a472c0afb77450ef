/** POST /api/diagnose with "explain": true against the loopback fake OpenAI server: the rule
 * diagnosis is unchanged, the explanation is added, a dead endpoint costs no more than the
 * timeout, the SQLite cache answers the second call, and no secret reaches the server. */
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';
import { TORCH_CUDA_OOM, VLLM_COMMAND, VLLM_CONTEXT_TOO_LONG } from '../fixtures/crash-logs.js';
import { closedPort, startFakeOpenAI, type FakeServer } from '../llm/fake-openai.js';
import { agreeing, answer, EXPLANATION, llmApp, llmConfig, MODEL, postJson } from './helpers.js';

let server: FakeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const SECRETS = {
  hf: 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
  openai: 'sk-proj-Abc123def456GHI789jkl012MNO345pqr',
  github: 'ghp_1234567890abcdefghijABCDEFGHIJ123456',
  aws: 'AKIAIOSFODNN7EXAMPL3',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N',
  password: 'S3cr3tPassw0rd!',
  email: 'alice.smith@example.com',
} as const;

const SECRET_LOG = [
  `export HF_TOKEN=${SECRETS.hf} OPENAI_API_KEY=${SECRETS.openai}`,
  `git clone https://x-access-token:${SECRETS.github}@github.com/org/repo`,
  `aws_access_key_id=${SECRETS.aws}`,
  `curl -H "Authorization: Bearer ${SECRETS.bearer}" https://trainer:${SECRETS.password}@db.internal:5432/metrics`,
  `[rank0]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.06 GiB is free. token=${SECRETS.hf} owner ${SECRETS.email}`,
  `[rank0]: notify ${SECRETS.email} Bearer ${SECRETS.bearer} ${SECRETS.github} ${SECRETS.openai}`,
].join('\n');

describe('POST /api/diagnose with explain', () => {
  it('adds the LLM explanation and leaves the rule diagnosis as it was', async () => {
    server = await startFakeOpenAI(agreeing());
    const { app } = llmApp({ baseUrl: server.baseUrl });
    const plain = await (await postJson(app, '/api/diagnose', { log: VLLM_CONTEXT_TOO_LONG, config: VLLM_COMMAND })).json();
    expect(plain).not.toHaveProperty('explanation');
    expect(server.requests).toHaveLength(0); // without explain, nothing is asked
    const res = await postJson(app, '/api/diagnose', { log: VLLM_CONTEXT_TOO_LONG, config: VLLM_COMMAND, explain: true });
    expect(res.status).toBe(200);
    const body = await res.json();
    const { explanation, ...diagnosis } = body;
    expect(diagnosis).toEqual(plain);
    expect(body.category).toBe('context_length_exceeded');
    expect(explanation).toMatchObject({ source: 'llm', model: MODEL, text: EXPLANATION, category: 'context_length_exceeded', agrees: true, cached: false });
    expect(explanation.latency_ms).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(1);
  });

  it('takes explain=true from a multipart form too', async () => {
    server = await startFakeOpenAI(agreeing());
    const { app } = llmApp({ baseUrl: server.baseUrl });
    const form = new FormData();
    form.set('stderr', new File([TORCH_CUDA_OOM], 'stderr.log'));
    form.set('explain', 'true');
    const body = await (await app.request('/api/diagnose', { method: 'POST', body: form })).json();
    expect(body.explanation).toMatchObject({ source: 'llm', category: body.category, agrees: true });
  });

  it('says why there is no explanation when the endpoint is down, within the timeout', async () => {
    const port = await closedPort();
    const { app } = llmApp({ baseUrl: `http://127.0.0.1:${port}/v1`, timeoutMs: 1500 });
    const t0 = performance.now();
    const body = await (await postJson(app, '/api/diagnose', { log: TORCH_CUDA_OOM, explain: true })).json();
    expect(performance.now() - t0).toBeLessThan(1500 + 1000);
    expect(body.category).toBe('batch_too_large_runtime');
    expect(body.explanation).toEqual({ source: 'none', reason: expect.stringMatching(/connection refused/) });
  });

  it('gives up on a server that does not answer, after the timeout and no later', async () => {
    server = await startFakeOpenAI((req) => ({ content: answer(req), delayMs: 10_000 }));
    const { app } = llmApp({ baseUrl: server.baseUrl, timeoutMs: 600 });
    const t0 = performance.now();
    const body = await (await postJson(app, '/api/diagnose', { log: TORCH_CUDA_OOM, explain: true })).json();
    expect(performance.now() - t0).toBeLessThan(600 + 1000);
    expect(body.explanation.reason).toMatch(/within 600 ms/);
  });

  it('with no endpoint configured, explains nothing and says so', async () => {
    const { app } = llmApp({ baseUrl: null });
    const body = await (await postJson(app, '/api/diagnose', { log: TORCH_CUDA_OOM, explain: true })).json();
    expect(body.explanation).toEqual({ source: 'none', reason: expect.stringMatching(/no LLM endpoint configured/) });
  });

  it('answers the second identical call from the SQLite cache without a request', async () => {
    server = await startFakeOpenAI(agreeing());
    const { app, db } = llmApp({ baseUrl: server.baseUrl });
    const first = (await (await postJson(app, '/api/diagnose', { log: TORCH_CUDA_OOM, explain: true })).json()).explanation;
    const second = (await (await postJson(app, '/api/diagnose', { log: TORCH_CUDA_OOM, explain: true })).json()).explanation;
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({ source: 'llm', cached: true, text: first.text, category: first.category, agrees: first.agrees });
    expect(server.requests).toHaveLength(1);
    const rows = db.all<{ model: string }>(`SELECT model FROM llm_cache`);
    expect(rows).toEqual([{ model: MODEL }]);
    // the cache is the table, not the process: another app on the same database hits it too
    const other = createApp({ config: readConfig({}), taxonomy: builtinTaxonomy(), db, llm: { config: llmConfig(server.baseUrl) } });
    const third = (await (await postJson(other, '/api/diagnose', { log: TORCH_CUDA_OOM, explain: true })).json()).explanation;
    expect(third.cached).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('sends none of the secrets in the log or the config to the server', async () => {
    server = await startFakeOpenAI(agreeing());
    const { app } = llmApp({ baseUrl: server.baseUrl });
    const config = { command: `HF_TOKEN=${SECRETS.hf} python train.py --batch-size 64 --api-key ${SECRETS.openai}`, contact: SECRETS.email };
    const body = await (await postJson(app, '/api/diagnose', { log: SECRET_LOG, config, explain: true })).json();
    expect(body.explanation.source).toBe('llm');
    expect(server.requests).toHaveLength(1);
    const sent = server.requests.map((r) => r.raw + JSON.stringify(r.headers) + r.url).join('\n');
    expect(Object.entries(SECRETS).filter(([, s]) => sent.includes(s)).map(([k]) => k)).toEqual([]);
    expect(sent).toContain('[REDACTED:hf_token]');
    expect(sent).toContain('torch.OutOfMemoryError');
  });
});
