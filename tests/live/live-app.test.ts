import { describe, expect, it } from 'vitest';
import { createApp, resolveDeps } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import { openDb } from '../../server/store/db.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';
import { binWith, liveWith } from './helpers.js';

/** null: the app builds its live options from the config, with the real exec */
function liveApp(env: NodeJS.ProcessEnv, live: ReturnType<typeof liveWith> | null = liveWith(binWith('nvidia-smi', 'vllm'))) {
  const { db } = openDb(':memory:');
  const deps = resolveDeps({ config: readConfig(env), taxonomy: builtinTaxonomy(), db, live: live ?? undefined });
  return { app: createApp(deps), agent: deps.agent };
}

describe('the app on a machine with a GPU (fake nvidia-smi and vllm)', () => {
  it('the scenario cards say live mode runs on this GPU', async () => {
    const { app } = liveApp({});
    const html = await (await app.request('/')).text();
    expect(html).toContain('run live on this machine’s GPU where the program is installed');
    expect(html).toMatch(/<span class="note-label">This machine<\/span> FAKE GPU for tests \(191\.7 GiB\) via nvidia-smi; vllm/);
  }, 60_000);

  it('REPLAYLAB_LIVE_GPU=off: the cards say the simulators run, and a live run uses them, saying why', async () => {
    // the app builds its own live options from the config
    const { app, agent } = liveApp({ REPLAYLAB_LIVE_GPU: 'off', REPLAYLAB_SIM_TIME_SCALE: '0' }, null);
    const html = await (await app.request('/')).text();
    expect(html).toContain('live GPU runs are off here (REPLAYLAB_LIVE_GPU=off)');
    const res = await app.request('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: 'vllm-max-model-len' }) });
    const { id } = (await res.json()) as { id: string };
    await agent.idle();
    const run = (await (await app.request(`/api/runs/${id}`)).json()) as { result: { failing: { provenance: { kind: string; text: string } } } };
    expect(run.result.failing.provenance.kind).toBe('simulated');
    expect(run.result.failing.provenance.text).toContain('live mode: live GPU runs are off here');
  }, 60_000);

  it('a live scenario run through the API: recovered, and the report says the evidence and telemetry are measured', async () => {
    const { app, agent } = liveApp({});
    const res = await app.request('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenario: 'vllm-max-model-len', mode: 'live' }) });
    const { id } = (await res.json()) as { id: string };
    await agent.idle();
    const run = (await (await app.request(`/api/runs/${id}`)).json()) as { result: { verdict: string; failing: { provenance: { kind: string } } } };
    expect(run.result.verdict).toBe('recovered');
    expect(run.result.failing.provenance.kind).toBe('live');
    const report = await (await app.request(`/runs/${id}/report.html`)).text();
    expect(report).toContain('measured telemetry (nvidia-smi, device-wide)');
    expect(report).toContain('All evidence was recorded live.');
    expect(report).not.toContain('simulated clock');
    const md = await (await app.request(`/runs/${id}/report.md`)).text();
    expect(md).toContain('measured wall-clock time of the runs');
  }, 120_000);
});
