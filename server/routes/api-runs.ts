import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { SSEMessage } from 'hono/streaming';
import type { FullDeps } from '../app.js';
import type { FeedItem } from '../agent/run-feed.js';
import { parseRunRequest } from '../agent/run-request.js';
import { isRunId } from '../store/ids.js';
import { getRun, type RunRecord } from '../store/runs.js';
import { listSteps } from '../store/steps.js';
import { feedResponse } from './sse.js';

/** The runs API: GET /api/runs/:id (a stored run as JSON, the page's "Download JSON"),
 * POST /api/runs (start a scenario run), GET /api/runs/:id/events (its steps as SSE) and
 * POST /api/runs/:id/stop. */
export function runsApi(deps: FullDeps) {
  const app = new Hono();
  const { db } = deps;

  app.post(
    '/',
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.json({ error: 'request body over 16 KiB' }, 413) }),
    async (c) => {
      let body: unknown;
      try { body = JSON.parse(await c.req.text()); } catch { return c.json({ error: 'the body must be JSON: { "scenario": "<id>", "mode"?: "live"|"replay", "params"?: {...} }' }, 400); }
      const parsed = parseRunRequest(body, deps.scenarios);
      if (!parsed.ok) return c.json({ error: parsed.error }, 400);
      const id = deps.agent.start(parsed.request);
      c.header('Location', `/api/runs/${id}`);
      return c.json({ id, url: `/runs/${id}`, events: `/api/runs/${id}/events` }, 201);
    },
  );

  app.get('/:id', (c) => {
    const id = c.req.param('id');
    const run = isRunId(id) ? getRun(db, id) : null;
    if (!run) return c.json({ error: 'not found' }, 404);
    c.header('Cache-Control', 'private, no-cache');
    const json = runJson(run);
    return c.json(run.kind === 'scenario' ? { ...json, steps: listSteps(db, run.id) } : json);
  });

  app.get('/:id/events', (c) => {
    const id = c.req.param('id');
    // only scenario runs have steps; a pasted log's diagnosis is GET /api/runs/:id
    if (!isRunId(id) || getRun(db, id)?.kind !== 'scenario') return c.json({ error: 'not found' }, 404);
    return feedResponse(c, deps, id, jsonEvents);
  });

  app.post('/:id/stop', (c) => {
    const id = c.req.param('id');
    const run = isRunId(id) ? getRun(db, id) : null;
    if (run?.kind !== 'scenario') return c.json({ error: 'not found' }, 404);
    const stopped = deps.agent.stop(id);
    return c.json({ id, stopped, status: getRun(db, id)!.status }, stopped ? 200 : 409);
  });

  return app;
}

/** The JSON wire format: `generating` per step (id = its sequence number), then `complete` or `error`.
 * A step still running sends `progress` first (the step so far, status 'running', no id: a
 * reconnect resumes after the last finished step, which then comes from the store). */
export function jsonEvents(item: FeedItem): SSEMessage[] {
  if (item.type === 'step') return [{ event: 'generating', id: String(item.step.seq), data: JSON.stringify(item.step) }];
  if (item.type === 'progress') return [{ event: 'progress', data: JSON.stringify(item.step) }];
  const { run } = item;
  if (run.status === 'done') return [{ event: 'complete', data: JSON.stringify({ id: run.id, status: run.status, result: run.result }) }];
  const error = (run.result as { error?: string } | null)?.error ?? (run.status === 'interrupted' ? 'interrupted: the server restarted while it ran' : 'the run failed');
  return [{ event: 'error', data: JSON.stringify({ id: run.id, status: run.status, error }) }];
}

export function runJson(run: RunRecord) {
  return {
    id: run.id,
    created_at: new Date(run.createdAt).toISOString(),
    kind: run.kind,
    status: run.status,
    listed: run.listed,
    title: run.title,
    category: run.category,
    severity: run.severity,
    confidence: run.confidence,
    redactions: run.redactions,
    artifacts: run.artifacts.map((a) => ({ ...a, url: `/runs/${run.id}/artifacts/${encodeURIComponent(a.name)}` })),
    config: run.config,
    log: run.log,
    diagnosis: run.diagnosis,
    ...(run.kind === 'scenario' ? { scenario: run.scenarioId, mode: run.mode, result: run.result } : {}),
  };
}
