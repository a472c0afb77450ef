import { describe, expect, it } from 'vitest';
import { createRun, markInterrupted } from '../../server/store/runs.js';
import { listSteps } from '../../server/store/steps.js';
import { agentApp, cachedRunner, gatedRunner, realRunner, startedId, until } from '../agent/helpers.js';
import { assertSelfContained } from '../report/html-asserts.js';
import { createRunVia } from './helpers.js';

const VLLM_LOG = `(APIServer pid=812) pydantic_core._pydantic_core.ValidationError: 1 validation error for ModelConfig
(APIServer pid=812)   Value error, User-specified max_model_len (65536) is greater than the derived max_model_len (max_position_embeddings=32768.0 or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1.
`;

describe('GET /runs/:id/report.html and report.md', () => {
  it('a finished scenario run: one self-contained HTML file to download, with the verdict; and its Markdown', async () => {
    // the real CPU simulator, on a fast clock
    const { app, agent } = agentApp({ runner: realRunner });
    const id = await startedId(app, { scenario: 'vllm-kv-cache' });
    await agent.idle();

    const res = await app.request(`/runs/${id}/report.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="replaylab-${id}.html"`);
    const html = await res.text();
    assertSelfContained(html);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*https?:/i);
    expect(html).toContain('<div class="verdict">Recovered</div>');
    expect(html).toContain('<h1>vLLM at gpu_memory_utilization 0.08 has no memory left for the KV cache</h1>');
    expect(html).toContain(`run <code>${id}</code>`);
    // the stored steps are its timeline, and the failing run (kept with the result) its evidence
    expect(html).toContain('Evidence: <b>simulated</b>');
    expect(html).toMatch(/stderr lines \d+–\d+ of \d+/); // the whole stderr, not the step's stored tail
    expect(html).toMatch(/<polyline class="series s-failing" points="[\d.,\s]+"/);

    const md = await app.request(`/runs/${id}/report.md`);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = await md.text();
    expect(text).toMatch(/^## ReplayLab report: vLLM at gpu_memory_utilization 0\.08/);
    expect(text).toContain('**Verdict: Recovered**');
    expect(text).toContain(`run \`${id}\``);

    // the finished run's page offers both
    const page = await (await app.request(`/runs/${id}`)).text();
    expect(page).toContain(`<a class="button secondary report-html" href="/runs/${id}/report.html" download="replaylab-${id}.html">Download report (HTML)</a>`);
    expect(page).toContain(`<a class="button secondary report-md" href="/runs/${id}/report.md">Report (Markdown)</a>`);
  }, 60_000);

  it('409 while the run is still running (and no report link on its page), 200 once it is done', async () => {
    const gate = gatedRunner('fixed');
    const { app, db, agent } = agentApp({ runner: gate.runner });
    const id = await startedId(app, { scenario: 'train-batch-64' });
    await until(() => listSteps(db, id).length === 6);
    for (const file of ['report.html', 'report.md']) {
      const res = await app.request(`/runs/${id}/${file}`);
      expect(res.status).toBe(409);
      expect(res.headers.get('content-disposition')).toBeNull();
      expect(await res.text()).toContain('still running');
    }
    expect(await (await app.request(`/runs/${id}`)).text()).not.toContain('/report.html');
    gate.release();
    await agent.idle();
    expect((await app.request(`/runs/${id}/report.html`)).status).toBe(200);
  }, 60_000);

  it('404 for a pasted run, an unknown or malformed id, and a run that stopped before the end', async () => {
    const { app, db } = agentApp({ runner: cachedRunner() });
    const pasted = (await createRunVia(app, { log: VLLM_LOG })).slice(6);
    const stopped = createRun(db, { kind: 'scenario', status: 'running', listed: true, title: 't', log: '', config: null, diagnosis: null, category: null, severity: null, confidence: null, redactions: [], scenarioId: 'train-batch-64', mode: 'live' });
    expect(markInterrupted(db)).toBe(1);
    for (const id of [pasted, stopped, 'AAAAAAAAAAAAAAAAAAAAAA', 'not-an-id', '..%2f..%2fetc']) {
      for (const file of ['report.html', 'report.md']) {
        const res = await app.request(`/runs/${id}/${file}`);
        expect(res.status, `${id}/${file}`).toBe(404);
        expect(res.headers.get('content-disposition')).toBeNull();
      }
    }
    // the pasted run's page has no report links (its downloads are Markdown and JSON)
    expect(await (await app.request(`/runs/${pasted}`)).text()).not.toContain('/report.');
  });
});
