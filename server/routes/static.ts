import { Hono } from 'hono';
import { ASSETS, assetBody } from '../web/assets.js';

/** GET /static/app.css, /static/app.js, /vendor/htmx.min.js: our own origin, no CDN. */
export function staticFiles() {
  const app = new Hono();
  app.get('/:dir{static|vendor}/:file', (c) => {
    const body = assetBody(c.req.path);
    if (!body) return c.notFound();
    const { type, cache } = ASSETS[c.req.path];
    return c.body(new Uint8Array(body), 200, { 'Content-Type': type, 'Cache-Control': cache });
  });
  return app;
}
