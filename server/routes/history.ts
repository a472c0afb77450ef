import { Hono } from 'hono';
import type { Db } from '../store/db.js';
import { listPublicRuns } from '../store/runs.js';
import { render } from '../views.js';

const PAGE = 25;

/** GET /history — listed runs only, newest first; `?before=<ms>` is the cursor of the next page. */
export function historyPage(db: Db) {
  const app = new Hono();
  app.get('/', (c) => {
    const raw = c.req.query('before');
    const before = raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    const rows = listPublicRuns(db, { limit: PAGE + 1, before });
    const runs = rows.slice(0, PAGE);
    const next = rows.length > PAGE ? runs[runs.length - 1].createdAt : null;
    c.header('Cache-Control', 'no-cache');
    return c.html(render('pages/history', { title: 'History', nav: 'history', runs, next, paged: before !== undefined }));
  });
  return app;
}
