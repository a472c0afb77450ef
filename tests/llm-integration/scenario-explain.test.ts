/** A scenario run with the fake LLM: step 5 streams the explanation as progress updates (live
 * only, no event id), ends once as 'ok' with the text, and is stored once. */
import { afterEach, describe, expect, it } from 'vitest';
import { listSteps } from '../../server/store/steps.js';
import { parseSse, realRunner, startedId, type SseEvent } from '../agent/helpers.js';
import { closedPort, startFakeOpenAI, type FakeServer } from '../llm/fake-openai.js';
import { agreeing, EXPLANATION, llmApp, MODEL } from './helpers.js';

let server: FakeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const at = (events: SseEvent[], event: string, id: string) => events.findIndex((e) => e.event === event && e.id === id);

describe('the explain step with an LLM endpoint', () => {
  it('streams token updates for step 5 before step 6, then stores step 5 once', async () => {
    server = await startFakeOpenAI(agreeing(16, 25));
    const { app, db, deps } = llmApp({ baseUrl: server.baseUrl, runner: realRunner });
    const id = await startedId(app, { scenario: 'train-batch-64' });
    const [json, html] = await Promise.all([app.request(`/api/runs/${id}/events`), app.request(`/runs/${id}/stream`)]);
    const [{ events }, page] = await Promise.all([json.text().then(parseSse), html.text().then(parseSse)]);
    await deps.agent.idle();

    const progress = events.filter((e) => e.event === 'progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const texts = progress.map((e) => JSON.parse(e.data)).map((s) => {
      expect(s).toMatchObject({ seq: 5, kind: 'explain', status: 'running' });
      return s.detail.text as string;
    });
    for (const [i, t] of texts.entries()) {
      expect(EXPLANATION.startsWith(t)).toBe(true);
      if (i) expect(t.length).toBeGreaterThanOrEqual(texts[i - 1].length);
    }
    expect(progress.every((e) => e.id === null)).toBe(true); // a reconnect resumes after step 4
    const first = events.indexOf(progress[0]);
    const last = events.indexOf(progress.at(-1)!);
    expect(first).toBeGreaterThan(at(events, 'generating', '4'));
    expect(last).toBeLessThan(at(events, 'generating', '5'));
    expect(at(events, 'generating', '5')).toBeLessThan(at(events, 'generating', '6'));

    const step5 = JSON.parse(events[at(events, 'generating', '5')].data);
    expect(step5).toMatchObject({ seq: 5, kind: 'explain', status: 'ok', detail: { text: EXPLANATION, explanation: { source: 'llm', model: MODEL, agrees: true } } });
    expect(step5.summary).toMatch(/agrees with the rules \(batch_too_large_runtime\)/);
    expect(events.filter((e) => e.event === 'generating').map((e) => e.id)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(events.at(-1)!.event).toBe('complete');

    const stored = listSteps(db, id);
    expect(stored.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stored.filter((s) => s.seq === 5)).toHaveLength(1);
    expect(stored[4]).toMatchObject({ kind: 'explain', status: 'ok', detail: { text: EXPLANATION } });
    expect(server.requests).toHaveLength(1);

    // the HTML stream: each update of step 5 replaces the step on the page, without an id or a status line
    const updates = page.events.filter((e) => e.event === 'message' && e.data.includes('<li id="step-5" class="step step-running">'));
    expect(updates.length).toBeGreaterThanOrEqual(2);
    for (const u of updates) {
      expect(u.id).toBeNull();
      expect(u.data).toContain('<template hx-swap-oob="delete:#step-5"></template>');
      expect(u.data).toContain('<p class="step-lead explanation-text">');
      expect(u.data).not.toContain('id="status"');
    }
    const final = page.events.find((e) => e.id === '5')!;
    expect(final.data).toContain('<li id="step-5" class="step step-ok">');
    expect(final.data).toContain(`<p class="step-lead explanation-text">${EXPLANATION}</p>`);
    expect(final.data).toContain('<template hx-swap-oob="delete:#step-5"></template>');
    expect(final.data).toContain(`Model <code>${MODEL}</code>`);

    // a viewer resuming after step 4 (Last-Event-ID) gets step 5 from the store, once
    const resumed = parseSse(await (await app.request(`/api/runs/${id}/events`, { headers: { 'Last-Event-ID': '4' } })).text()).events;
    expect(resumed.map((e) => `${e.event}:${e.id ?? ''}`)).toEqual(['generating:5', 'generating:6', 'generating:7', 'generating:8', 'generating:9', 'complete:']);
    // and the finished run's page shows the step with its explanation
    const runPage = await (await app.request(`/runs/${id}`)).text();
    expect(runPage.match(/<li id="step-5"/g)).toHaveLength(1);
    expect(runPage).toContain(`<p class="step-lead explanation-text">${EXPLANATION}</p>`);
  }, 60_000);

  it('says why there is no explanation when the endpoint is down, and the loop goes on', async () => {
    const port = await closedPort();
    const { app, db, deps } = llmApp({ baseUrl: `http://127.0.0.1:${port}/v1`, timeoutMs: 1500, runner: realRunner });
    const id = await startedId(app, { scenario: 'train-batch-64' });
    await deps.agent.idle();
    const steps = listSteps(db, id);
    expect(steps[4]).toMatchObject({ kind: 'explain', status: 'warning' });
    expect(steps[4].summary).toMatch(/^no explanation: connection refused .*; the rule diagnosis stands$/);
    expect(steps[4].durationMs).toBeLessThan(1500 + 1000);
    expect(steps.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  }, 60_000);
});

describe('the explain step without an LLM endpoint', () => {
  it('is skipped, visibly, with no progress events', async () => {
    const { app, deps } = llmApp({ baseUrl: null, runner: realRunner });
    const id = await startedId(app, { scenario: 'train-batch-64' });
    const { events } = parseSse(await (await app.request(`/api/runs/${id}/events`)).text());
    await deps.agent.idle();
    expect(events.some((e) => e.event === 'progress')).toBe(false);
    expect(JSON.parse(events[at(events, 'generating', '5')].data)).toMatchObject({
      kind: 'explain', status: 'skipped', summary: 'skipped: no LLM endpoint configured (LLM_BASE_URL is unset)',
    });
  }, 60_000);
});
