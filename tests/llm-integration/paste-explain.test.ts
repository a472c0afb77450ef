/** The paste flow: POST /runs explains the stored run before the redirect, and the run page's
 * diagnosis card shows the explanation beside the rule diagnosis. */
import { afterEach, describe, expect, it } from 'vitest';
import { TORCH_CUDA_OOM } from '../fixtures/crash-logs.js';
import { closedPort, startFakeOpenAI, type FakeServer } from '../llm/fake-openai.js';
import { createRunVia, postForm } from '../pages/helpers.js';
import { agreeing, answer, EXPLANATION, llmApp, MODEL } from './helpers.js';

let server: FakeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

/** The card's explanation section, or '' when there is none. */
const section = (html: string) => /<section class="block explanation"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';

async function pastedPage(app: ReturnType<typeof llmApp>['app'], log = TORCH_CUDA_OOM) {
  const path = await createRunVia(app, { log });
  const html = await (await app.request(path)).text();
  return { path, html, card: section(html) };
}

describe('the paste flow with an LLM endpoint', () => {
  it('stores the explanation with the diagnosis and shows it on the run page', async () => {
    server = await startFakeOpenAI(agreeing());
    const { app } = llmApp({ baseUrl: server.baseUrl });
    const { path, card } = await pastedPage(app);
    expect(server.requests).toHaveLength(1);
    expect(card).toContain('<h4 id="explanation-h">LLM explanation</h4>');
    expect(card).toContain(`Model <code>${MODEL}</code> · fresh answer · `);
    expect(card).toMatch(/· \d+ ms · model confidence 80%/);
    expect(card).toContain(`<p class="explanation-text">${EXPLANATION}</p>`);
    expect(card).toContain('Agrees with the rules</span> both name <code>batch_too_large_runtime</code>');
    expect(card).not.toContain('not adopted');
    const stored = await (await app.request(`/api${path}`)).json();
    expect(stored.category).toBe('batch_too_large_runtime'); // the rules' verdict is untouched
    expect(stored.diagnosis.explanation).toMatchObject({ source: 'llm', model: MODEL, agrees: true, cached: false });
    // the same log again: a cache hit, marked, and no request
    expect((await pastedPage(app)).card).toContain(' · cached answer · ');
    expect(server.requests).toHaveLength(1);
  });

  it('shows a disagreement with both categories, which stands and why, and an unadopted recommendation', async () => {
    server = await startFakeOpenAI((req) => ({
      content: answer(req, { failure_category: 'model_too_large', explanation: 'The weights alone fill the GPU.', recommended_fix: 'Set VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 and retry with --force.' }),
    }));
    const { app } = llmApp({ baseUrl: server.baseUrl });
    const { card } = await pastedPage(app);
    expect(card).toContain('Disagrees with the rules</span> rules: <code>batch_too_large_runtime</code> · model: <code>model_too_large</code>');
    expect(card).toContain('<strong>The rules’ category stands</strong>: the rules weighed the model’s category as an alternative, but the model cites no evidence line for it.');
    expect(card).toContain('<span class="badge not-adopted">not adopted</span> <span class="muted">it recommends VLLM_ALLOW_LONG_MAX_MODEL_LEN');
    expect(card).toContain('Model’s recommendation</span> Set VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 and retry with --force.');
  });

  it('says the model’s category stands when it is an alternative backed by the evidence', async () => {
    server = await startFakeOpenAI((req) => ({
      content: answer(req, { failure_category: 'model_too_large', explanation: 'The weights fill the GPU: line 6 shows 75.31 GiB allocated by PyTorch.' }),
    }));
    const { app } = llmApp({ baseUrl: server.baseUrl });
    const { card } = await pastedPage(app);
    expect(card).toContain('<strong>The model’s category stands</strong>: the rules weighed it as an alternative and the model cites the evidence lines for it.');
  });

  it('says why there is no explanation when the endpoint is down', async () => {
    const port = await closedPort();
    const { app } = llmApp({ baseUrl: `http://127.0.0.1:${port}/v1`, timeoutMs: 1500 });
    const t0 = performance.now();
    const { card, html } = await pastedPage(app);
    expect(performance.now() - t0).toBeLessThan(1500 + 1000);
    expect(card).toMatch(/<p class="muted explanation-none">LLM explanation unavailable: connection refused by the LLM server at http:\/\/127\.0\.0\.1:\d+\/v1\. The rule diagnosis stands\.<\/p>/);
    expect(html).toContain('<code class="category">batch_too_large_runtime</code>');
  });
});

describe('the paste flow without an LLM endpoint', () => {
  it('shows a muted "not configured" line and the rule diagnosis as before', async () => {
    const { app } = llmApp({ baseUrl: null });
    const { card, html } = await pastedPage(app);
    expect(card).toContain('<p class="muted explanation-none">LLM explanation: not configured (set <code>LLM_BASE_URL</code>');
    expect(card).not.toContain('explanation-text');
    expect(html).toContain('<code class="category">batch_too_large_runtime</code>');
  });

  it('a form that does not diagnose stores nothing and explains nothing', async () => {
    server = await startFakeOpenAI(agreeing());
    const { app } = llmApp({ baseUrl: server.baseUrl });
    const res = await postForm(app, { log: '   ' });
    expect(res.status).toBe(400);
    expect(server.requests).toHaveLength(0);
  });
});

describe('the diagnosis card’s evidence', () => {
  it('ends a line cut at 160 characters with “…”, and only a cut one', async () => {
    const { app } = llmApp({ baseUrl: null });
    const { html } = await pastedPage(app);
    const quoted = [...html.matchAll(/<li><a href="#L\d+">line \d+<\/a> <code>([^<]*)<\/code><\/li>/g)].map((m) => m[1]);
    const long = quoted.find((q) => q.startsWith('[rank0]: torch.OutOfMemoryError'));
    expect(long).toBeDefined();
    expect(long!.endsWith('…')).toBe(true);
    expect([...long!].length).toBe(161);
    for (const q of quoted.filter((x) => x !== long)) expect(q.endsWith('…')).toBe(q.length > 160);
  });
});
