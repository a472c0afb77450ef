import { Hono } from 'hono';
import type { AppDeps } from '../app.js';

/** A minimal page until the Space UI lands: what the service is and how to call it. */
export function homePage(deps: AppDeps) {
  const app = new Hono();
  app.get('/', (c) => {
    const ids = deps.taxonomy.patterns.map((p) => `<li><code>${p.id}</code> — ${escapeHtml(p.title)}</li>`).join('');
    return c.html(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><link rel="icon" href="data:,"><title>ReplayLab</title></head>
<body><h1>ReplayLab</h1><p>A flight recorder for GPU experiments: paste a crash log, get the root cause, the lines that prove it and the smallest fix with its arithmetic.</p>
<form method="post" action="/api/diagnose" enctype="multipart/form-data"><label for="log">Crash log</label><br><textarea id="log" name="log" rows="12" cols="100"></textarea><br>
<label for="config">Config (JSON, YAML or command line)</label><br><textarea id="config" name="config" rows="3" cols="100"></textarea><br><button type="submit">Diagnose</button></form>
<p>API: <code>curl -X POST -H 'Content-Type: application/json' -d '{"log":"..."}' /api/diagnose</code></p><h2>Taxonomy (${deps.taxonomy.version})</h2><ul>${ids}</ul></body></html>`);
  });
  return app;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
