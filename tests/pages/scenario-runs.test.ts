import { describe, expect, it } from 'vitest';
import { createRun, getRun, markInterrupted } from '../../server/store/runs.js';
import { appendStep, listSteps } from '../../server/store/steps.js';
import { runCount } from './helpers.js';
import { agentApp, cachedRunner, gatedRunner, parseSse, until } from '../agent/helpers.js';

const RUN_PATH = /^\/runs\/[A-Za-z0-9_-]{22}$/;
const STREAM_ATTRS = /hx-sse:(connect|close)/;
const form = (fields: Record<string, string>) => {
  const body = new URLSearchParams(fields);
  return { method: 'POST', body: body.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
};

describe('a scenario card’s Run button', () => {
  it('POST /scenario-runs → 303 to the run page, which streams while it runs', async () => {
    const gate = gatedRunner('fixed');
    const { app, db, agent } = agentApp({ runner: gate.runner });
    const res = await app.request('/scenario-runs', form({ scenario: 'train-batch-64' }));
    expect(res.status).toBe(303);
    const path = res.headers.get('location')!;
    expect(path).toMatch(RUN_PATH);
    const id = path.slice(6);
    await until(() => listSteps(db, id).length === 6);

    const html = await (await app.request(path)).text();
    expect(html).toMatch(/^<!doctype html>/);
    // the timeline connects with htmx 4's SSE extension, after the steps already shown
    expect(html).toContain(`<ol id="timeline" class="timeline" hx-sse:connect="${path}/stream?after=6" hx-sse:close="done" hx-swap="beforeend">`);
    expect(html).toMatch(/<p id="status" class="status" aria-live="polite">Running · step 6 of 9 · /);
    expect(html.match(/aria-live/g)).toHaveLength(1);
    expect(html).toContain(`<form method="post" action="${path}/stop">`);
    expect(html).toContain('<noscript><meta http-equiv="refresh" content="3"></noscript>');
    expect(html.match(/<li id="step-\d" class="step /g)).toHaveLength(6);
    gate.release();
    await agent.idle();
  }, 60_000);

  it('refuses an unknown scenario or an injected param with a 400 page, and starts nothing', async () => {
    const { app, db } = agentApp({ runner: cachedRunner() });
    for (const fields of [{ scenario: 'nope' }, { scenario: 'train-batch-64', command: 'rm -rf /' }, { scenario: 'train-batch-64', batch_size: '99999' }] as Record<string, string>[]) {
      const res = await app.request('/scenario-runs', form(fields));
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/<p id="status" class="status" aria-live="polite">Not started: /);
    }
    expect(runCount(db)).toBe(0);
  });
});

describe('the run page of a finished run', () => {
  it('renders all 9 steps server-side, with no stream attributes', async () => {
    const { app, agent } = agentApp({ runner: cachedRunner() });
    const path = (await app.request('/scenario-runs', form({ scenario: 'vllm-max-model-len', max_model_len: '65536', gpu_memory_utilization: '0.99', mode: 'live' }))).headers.get('location')!;
    await agent.idle();
    const res = await app.request(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toMatch(STREAM_ATTRS);
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).not.toContain('/stop"');
    for (let n = 1; n <= 9; n++) expect(html).toContain(`<li id="step-${n}" class="step step-`);
    // each step: an icon and a text label, its number, a verb-first title that is its permalink
    expect(html).toMatch(/<span class="step-icon" aria-hidden="true">✓<\/span> <span class="step-label">Done<\/span>/);
    expect(html).toContain(`<a class="step-title" href="#step-3">Match the log against the taxonomy</a>`);
    expect(html).toMatch(/<span class="step-duration">\d+ ms<\/span> <span class="bar" aria-hidden="true"><span class="bar-fill bar-\d+">/);
    // failed steps open their details; the evidence, the arithmetic, the checks and provenance are there
    expect(html).toContain('<li id="step-2" class="step step-failed">');
    expect(html).toMatch(/<li id="step-4" class="step step-failed">[\s\S]*?<details class="step-details" open>/);
    expect(html).toContain('Provenance: Simulated</span> vllm-startup v1: simulated on CPU, figures from published AMD MI300X measurements (not a GPU run)');
    expect(html).toMatch(/after<\/span> <code>32768<\/code>/);
    expect(html).toContain('<span class="why-label">Arithmetic</span>');
    expect(html).toContain('<h5>Verification checks</h5>');
    expect(html).toMatch(/<p id="status" class="status" aria-live="polite">Finished · step 9 of 9 · Recovered \(context_length_exceeded\)<\/p>/);
    expect(html).toContain('<span class="badge-key">Verdict</span> Recovered');
    // the cost of simulated runs is on the simulator's clock, and the summary says so
    expect(html).toMatch(/GPU-seconds \(simulated clock: no GPU was used\) × \$1\.99\/GPU-hour = \$0\.\d{4}/);
    // "Run again" posts this run's mode and params, not the scenario's defaults
    const again = /<div id="run-controls" class="run-controls">\s*<form method="post" action="\/scenario-runs">([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
    expect([...again.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => `${m[1]}=${m[2]}`))
      .toEqual(['scenario=vllm-max-model-len', 'mode=live', 'max_model_len=65536', 'gpu_memory_utilization=0.99']);
    // its Markdown and JSON downloads
    const md = await app.request(`${path}.md`);
    expect(md.status).toBe(200);
    expect(await md.text()).toContain('`context_length_exceeded`');
    expect(await (await app.request(`/api/runs/${path.slice(6)}`)).json()).toMatchObject({ kind: 'scenario', scenario: 'vllm-max-model-len', status: 'done' });
    // CSP: no inline styles or scripts on the page
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  }, 60_000);
});

describe('the HTML stream', () => {
  it('sends each step as an unnamed message (the page’s partial + the status out of band) and ends with event: done', async () => {
    const gate = gatedRunner('fixed');
    const { app, db } = agentApp({ runner: gate.runner });
    const path = (await app.request('/scenario-runs', form({ scenario: 'load-timeout' }))).headers.get('location')!;
    await until(() => listSteps(db, path.slice(6)).length === 6);
    const res = await app.request(`${path}/stream?after=2`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    setTimeout(gate.release, 50);
    const text = await res.text();
    expect(text).toMatch(/\n\nevent: done\ndata: Finished · step 9 of 9 · Recovered \(timeout\)\n\n$/);
    const { events, comments } = parseSse(text);
    expect(comments[0]).toBe('connected');
    const steps = events.filter((e) => e.id !== null);
    expect(steps.map((e) => e.id)).toEqual(['3', '4', '5', '6', '7', '8', '9']);
    expect(steps.every((e) => e.event === 'message')).toBe(true);
    expect(steps[0].data).toMatch(/^<li id="step-3" class="step step-ok">/);
    expect(steps[0].data).toContain('<p id="status" hx-swap-oob="innerHTML">Running · step 3 of 9 · Match the log against the taxonomy: done</p>');
    const end = events.at(-2)!;
    expect(end.data).toContain('<section id="run-summary" class="card run-summary" hx-swap-oob="true"');
    expect(end.data).toContain('<div id="run-controls" class="run-controls" hx-swap-oob="true">');
    expect(events.at(-1)!.event).toBe('done');
  }, 60_000);

  it('a reconnect with Last-Event-ID gets only the steps after it', async () => {
    const { app, agent } = agentApp({ runner: cachedRunner() });
    const path = (await app.request('/scenario-runs', form({ scenario: 'vllm-kv-cache' }))).headers.get('location')!;
    await agent.idle();
    const { events } = parseSse(await (await app.request(`${path}/stream?after=1`, { headers: { 'Last-Event-ID': '7' } })).text());
    expect(events.map((e) => e.id ?? e.event)).toEqual(['8', '9', 'message', 'done']);
  }, 60_000);
});

describe('a run cut off by a restart', () => {
  it('shows as interrupted (after markInterrupted, and even before it), never as running forever', async () => {
    const { app, db } = agentApp({ runner: cachedRunner() });
    // a run row some earlier process left 'running', with 2 of its steps
    const id = createRun(db, { kind: 'scenario', status: 'running', listed: true, title: 'A training step at batch 64 runs out of GPU memory', log: '', config: null, diagnosis: null, category: null, severity: null, confidence: null, redactions: [], scenarioId: 'train-batch-64', mode: 'live' });
    for (const seq of [1, 2]) appendStep(db, id, { seq, kind: seq === 1 ? 'record' : 'detect', title: `Step ${seq}`, status: 'ok', startedAt: Date.now(), durationMs: 5, summary: 's', detail: {} });
    // no registry runs it: its streams end at once, as interrupted
    const { events } = parseSse(await (await app.request(`/api/runs/${id}/events`)).text());
    expect(events.map((e) => e.id ?? e.event)).toEqual(['1', '2', 'error']);
    expect(JSON.parse(events[2].data)).toMatchObject({ status: 'interrupted' });

    expect(markInterrupted(db)).toBe(1);
    expect(getRun(db, id)!.status).toBe('interrupted');
    const html = await (await app.request(`/runs/${id}`)).text();
    expect(html).not.toMatch(STREAM_ATTRS);
    expect(html).toMatch(/aria-live="polite">Interrupted at step 2 of 9: the server restarted while it ran<\/p>/);
    expect(html.match(/<li id="step-\d" class="step /g)).toHaveLength(2);
  });
});

describe('Stop (a plain form)', () => {
  it('POST /runs/:id/stop → 303 back to the page, which shows the run interrupted', async () => {
    const gate = gatedRunner('fixed');
    const { app, db, agent } = agentApp({ runner: gate.runner });
    const path = (await app.request('/scenario-runs', form({ scenario: 'train-batch-64' }))).headers.get('location')!;
    await until(() => listSteps(db, path.slice(6)).length === 6);
    const res = await app.request(`${path}/stop`, { method: 'POST' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(path);
    const html = await (await app.request(path)).text();
    expect(html).toMatch(/Interrupted at step 6 of 9: stopped by a viewer after 6 of 9 steps/);
    expect(html).not.toMatch(STREAM_ATTRS);
    await agent.idle();
  }, 60_000);
});
