import type { Context } from 'hono';
import { render } from '../views.js';
import { wantsFragment } from '../web/htmx.js';

/** The 404 page: a whole page with a way back, the same for unknown runs and unknown URLs. */
export function notFoundPage(c: Context) {
  c.header('Cache-Control', 'no-cache');
  if (c.req.path.startsWith('/api/')) return c.json({ error: 'not found' }, 404);
  return c.html(render('pages/not-found', { title: 'Not found', path: c.req.path }), 404);
}

/** A 500: JSON under /api, a short message where htmx swaps the result, a page otherwise. */
export function errorPage(c: Context) {
  if (c.req.path.startsWith('/api/')) return c.json({ error: 'internal error' }, 500);
  c.header('Vary', 'HX-Request', { append: true });
  if (wantsFragment(c)) {
    c.header('HX-Retarget', '#result');
    c.header('HX-Reswap', 'innerHTML');
    c.header('HX-Push-Url', 'false');
    return c.html(render('fragments/error', {}), 500);
  }
  return c.html(render('pages/error', { title: 'Something broke' }), 500);
}
