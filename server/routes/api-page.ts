import { Hono } from 'hono';
import { render } from '../views.js';
import { apiSnippets } from '../web/api-snippets.js';
import { requestOrigin } from '../web/origin.js';
import { limitText } from '../web/view-helpers.js';
import type { AppDeps } from '../app.js';

/** GET /api — "Use via API": the endpoints, their fields and answers, snippets to copy. */
export function apiPage(deps: AppDeps) {
  const app = new Hono();
  app.get('/', (c) => {
    const origin = requestOrigin(c.req.raw);
    c.header('Cache-Control', 'no-cache');
    return c.html(render('pages/api', {
      title: 'Use via API', nav: 'api', origin, snippets: apiSnippets(origin), limit: limitText(deps.config.maxLogBytes),
    }));
  });
  return app;
}
