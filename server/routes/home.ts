import { Hono } from 'hono';
import type { FullDeps } from '../app.js';
import { findExample } from '../examples.js';
import { render } from '../views.js';
import { varyOnHtmx, wantsFragment } from '../web/htmx.js';
import { liveMachine } from '../web/live-machine.js';
import { workspace } from '../web/workspace.js';

/** GET / — the page; GET /?example=ID — the same page with an example's inputs filled in.
 * htmx (example links, Clear) asks for the two columns only. */
export function homePage(deps: FullDeps) {
  const app = new Hono();
  app.get('/', async (c) => {
    varyOnHtmx(c);
    c.header('Cache-Control', 'no-cache');
    const example = findExample(c.req.query('example'));
    if (deps.live.enabled) await deps.live.environment(); // a few ms, once per process
    const machine = liveMachine(deps.live);
    const data = workspace(deps.config.maxLogBytes, example
      ? { values: { log: example.log, config: example.config, listed: false }, activeExample: example.id, status: `Example loaded: ${example.title}. Choose Diagnose.`, scenarios: deps.cards, machine }
      : { scenarios: deps.cards, machine });
    if (wantsFragment(c)) return c.html(render('fragments/workspace', { ...data, title: example?.title ?? null }));
    return c.html(render('pages/home', { ...data, title: example?.title ?? null, taxonomyVersion: deps.taxonomy.version }));
  });
  return app;
}
