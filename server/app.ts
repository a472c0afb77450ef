import { Hono } from 'hono';
import type { AppConfig } from './config.js';
import type { Taxonomy } from './diagnosis/types.js';
import { diagnoseApi } from './routes/api-diagnose.js';
import { homePage } from './routes/home.js';

export interface AppDeps {
  config: AppConfig;
  taxonomy: Taxonomy;
}

/** Builds the whole HTTP app from its dependencies; no side effects, so tests call it freely. */
export function createApp(deps: AppDeps) {
  const app = new Hono();
  app.route('/api/diagnose', diagnoseApi(deps));
  app.route('/', homePage(deps));
  app.notFound((c) => (c.req.path.startsWith('/api/') ? c.json({ error: 'not found' }, 404) : c.text('Not found', 404)));
  app.onError((err, c) => {
    console.error(err);
    return c.req.path.startsWith('/api/') ? c.json({ error: 'internal error' }, 500) : c.text('Internal error', 500);
  });
  return app;
}
