import { describe, expect, it } from 'vitest';
import type { ScenarioRunResult } from '../../server/agent/run-registry.js';
import { STEP_KINDS, type StepEvent } from '../../server/agent/types.js';
import { listSteps } from '../../server/store/steps.js';
import { agentApp, parseSse, realRunner, startedId, startRun } from './helpers.js';

// Each scenario end to end through the JSON API, over the real CPU simulators (child processes).
const { app, db } = agentApp({ runner: realRunner });

describe('GET /api/scenarios', () => {
  it('lists the four scenarios with their command, params and what a request may override', async () => {
    const res = await app.request('/api/scenarios');
    expect(res.status).toBe(200);
    const { scenarios } = (await res.json()) as { scenarios: Record<string, unknown>[] };
    expect(scenarios.map((s) => s.id)).toEqual(['vllm-max-model-len', 'train-batch-64', 'load-timeout', 'vllm-kv-cache']);
    expect(scenarios[0]).toMatchObject({
      simulator: 'vllm-startup',
      command: 'vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 65536 --gpu-memory-utilization 0.99',
      params: { max_model_len: 65536, gpu_memory_utilization: 0.99 },
      editable: { max_model_len: { min: 1, max: 1_048_576, int: true } },
    });
  });
});

describe('POST /api/runs → GET /api/runs/:id/events, each scenario', () => {
  it.each([
    ['vllm-max-model-len', 'context_length_exceeded', { max_model_len: 32768 }],
    ['train-batch-64', 'batch_too_large_runtime', { batch_size: 32, gradient_accumulation_steps: 2 }],
    ['load-timeout', 'timeout', { budget_s: 52 }],
    ['vllm-kv-cache', 'kv_cache_oom', { gpu_memory_utilization: 0.1 }],
  ])('%s: fails, is diagnosed as %s, is fixed with %o and recovers', async (scenario, category, fix) => {
    const started = await startRun(app, { scenario });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const res = await app.request(`/api/runs/${id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const text = await res.text();
    expect(text.startsWith(': connected\n\n')).toBe(true);
    const { events } = parseSse(text);
    const steps = events.filter((e) => e.event === 'generating');
    // in order, one per step, ids 1..9, then complete
    expect(steps.map((e) => e.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(steps.map((e) => (JSON.parse(e.data) as StepEvent).kind)).toEqual([...STEP_KINDS]);
    expect(events.at(-1)!.event).toBe('complete');
    expect(events).toHaveLength(10);

    const { status, result } = JSON.parse(events.at(-1)!.data) as { status: string; result: ScenarioRunResult };
    expect(status).toBe('done');
    expect(result.verdict).toBe('recovered');
    expect(result.diagnosis!.category).toBe(category);
    expect(result.attempts.at(-1)!.params).toMatchObject(fix);
    expect(result.verification!.checks.every((c) => c.ok)).toBe(true);
    // honest provenance on every recording
    for (const r of [result.failing!, ...result.attempts, result.baseline!]) {
      expect(r.provenance.kind).toBe('simulated');
      expect(r.provenance.text).toMatch(/simulated on CPU.*\(not a GPU run\)/);
    }
    expect(listSteps(db, id)).toHaveLength(9);

    const run = await (await app.request(`/api/runs/${id}`)).json() as Record<string, unknown>;
    expect(run).toMatchObject({ kind: 'scenario', status: 'done', scenario, mode: 'live', category, listed: true });
    expect(run.steps).toHaveLength(9);
  }, 60_000);

  it('resumes after Last-Event-ID: 4 with steps 5.. and no duplicates (also as ?after=4)', async () => {
    const id = await startedId(app, { scenario: 'train-batch-64' });
    await (await app.request(`/api/runs/${id}/events`)).text();
    for (const init of [{ headers: { 'Last-Event-ID': '4' } }, {}]) {
      const url = `/api/runs/${id}/events${'headers' in init ? '' : '?after=4'}`;
      const { events } = parseSse(await (await app.request(url, init)).text());
      expect(events.map((e) => e.id ?? e.event)).toEqual(['5', '6', '7', '8', '9', 'complete']);
    }
  }, 60_000);

  it('mode "replay" replays a recording from runs/ where one matches, else simulates, and says which', async () => {
    // the app's own runner (recordings + simulators), replaying with no waiting
    const own = agentApp({ env: { REPLAYLAB_SIM_TIME_SCALE: '0.005', REPLAYLAB_REPLAY_SPEED: '0' } });
    for (const params of [{}, { batch_size: 48 }]) {
      const id = await startedId(own.app, { scenario: 'train-batch-64', mode: 'replay', params });
      const { events } = parseSse(await (await own.app.request(`/api/runs/${id}/events`)).text());
      const { result } = JSON.parse(events.at(-1)!.data) as { result: ScenarioRunResult };
      expect(result.mode).toBe('replay');
      expect(result.verdict).toBe('recovered');
      for (const r of [result.failing!, ...result.attempts, result.baseline!]) {
        expect(r.provenance.text).toMatch(/^replayed recording \d{4}-\d\d-\d\d — .*simulated on CPU|no recording of these params, so the simulator ran$/);
      }
      if ('batch_size' in params) expect(result.failing!.provenance.text).toMatch(/no recording of these params, so the simulator ran$/);
    }
  }, 60_000);

  it('an overridden param changes the experiment: max_model_len 40000 is fixed to 32768 as well', async () => {
    const id = await startedId(app, { scenario: 'vllm-max-model-len', params: { max_model_len: 40000 } });
    const { events } = parseSse(await (await app.request(`/api/runs/${id}/events`)).text());
    const { result } = JSON.parse(events.at(-1)!.data) as { result: ScenarioRunResult };
    expect(result.failing!.command).toContain('--max-model-len 40000');
    expect(result.attempts.at(-1)!.params.max_model_len).toBe(32768);
    expect(result.verdict).toBe('recovered');
    // the run's title says what was changed: the scenario's own title names 65536
    const run = (await (await app.request(`/api/runs/${id}`)).json()) as { title: string };
    expect(run.title).toBe('vLLM refuses max_model_len 65536 on an MI300X — with max_model_len 40000');
  }, 60_000);
});
