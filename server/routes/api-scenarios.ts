import { Hono } from 'hono';
import type { FullDeps } from '../app.js';
import { editableParams, PARAM_BOUNDS } from '../agent/run-request.js';

/** GET /api/scenarios — the scenarios a run may name, with the params a request may override. */
export function scenariosApi(deps: FullDeps) {
  const app = new Hono();
  app.get('/', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json({
      scenarios: deps.scenarios.map((s) => ({
        id: s.id,
        title: s.title,
        summary: s.summary.trim(),
        simulator: s.simulator,
        command: s.command,
        params: s.params,
        editable: Object.fromEntries(editableParams(s).map((k) => [k, PARAM_BOUNDS[k]])),
      })),
    });
  });
  return app;
}
