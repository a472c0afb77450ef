import { Hono } from 'hono';
import { isRunId } from '../store/ids.js';
import { getRun, type RunRecord } from '../store/runs.js';
import type { Db } from '../store/db.js';

/** GET /api/runs/:id — a stored run and its diagnosis as JSON (the page's "Download JSON"). */
export function runsApi(db: Db) {
  const app = new Hono();
  app.get('/:id', (c) => {
    const id = c.req.param('id');
    const run = isRunId(id) ? getRun(db, id) : null;
    if (!run) return c.json({ error: 'not found' }, 404);
    c.header('Cache-Control', 'private, no-cache');
    return c.json(runJson(run));
  });
  return app;
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
  };
}
