import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { FullDeps } from '../app.js';
import { isRunId } from '../store/ids.js';
import { createRun, getArtifact, getRun } from '../store/runs.js';
import { render } from '../views.js';
import { liveMachine } from '../web/live-machine.js';
import { varyOnHtmx, wantsFragment } from '../web/htmx.js';
import { requestOrigin } from '../web/origin.js';
import { diagnosePaste } from '../web/paste-run.js';
import { EMPTY_VALUES, readRunForm, type FormErrors, type FormValues } from '../web/run-form.js';
import { runMarkdown } from '../web/run-markdown.js';
import type { Diagnosis } from '../diagnosis/types.js';
import { limitText } from '../web/view-helpers.js';
import { ERROR_STATUS, runWorkspace, workspace } from '../web/workspace.js';
import { notFoundPage } from './not-found.js';
import { scenarioRunPage } from './scenario-runs.js';

/** POST /runs (the form), GET /runs/:id (a run's page), its Markdown, log and uploaded files. */
export function runsRoutes(deps: FullDeps) {
  const app = new Hono();
  const { db, taxonomy } = deps;
  const max = deps.config.maxLogBytes;
  // a log and a config file may both be at the limit, plus the multipart framing
  const limit = max * 2 + 64 * 1024;

  /** The form again, with each message beside its field: a whole page, or for htmx the input
   * column (retargeted there) plus the status line. Nothing has been stored. */
  const formFailure = (c: Context, status: 400 | 413 | 415, values: FormValues, errors: FormErrors) => {
    varyOnHtmx(c);
    const data = { ...workspace(max, { values, errors, status: ERROR_STATUS, scenarios: deps.cards, machine: liveMachine(deps.live) }), title: 'Not diagnosed' };
    if (!wantsFragment(c)) return c.html(render('pages/home', data), status);
    c.header('HX-Retarget', '#inputs');
    c.header('HX-Reswap', 'outerHTML');
    c.header('HX-Push-Url', 'false');
    return c.html(render('fragments/form-error', data), status);
  };

  app.post(
    '/',
    bodyLimit({
      maxSize: limit,
      onError: (c) => formFailure(c, 413, EMPTY_VALUES, { log: `The upload is larger than ${limitText(limit)} in all; a log or a config may be up to ${limitText(max)} each.` }),
    }),
    async (c) => {
      const read = await readRunForm(c.req.raw, max);
      if (!read.ok) return formFailure(c, read.status, read.values, read.errors);
      const outcome = diagnosePaste(taxonomy, read.form);
      if (!outcome.ok) return formFailure(c, 400, read.form.values, outcome.errors);
      const id = createRun(db, outcome.run);
      return c.redirect(`/runs/${id}`, 303);
    },
  );

  // a GET of the form's address (a reload after an error, a typed URL) lands on the form
  app.get('/', (c) => c.redirect('/', 302));

  app.get('/:file{[A-Za-z0-9_-]{22}\\.md}', (c) => {
    const run = getRun(db, c.req.param('file').slice(0, -3));
    if (!run?.diagnosis) return notFoundPage(c);
    const md = runMarkdown(run, run.diagnosis as Diagnosis, `${requestOrigin(c.req.raw)}/runs/${run.id}`);
    return c.body(md, 200, { 'Content-Type': 'text/markdown; charset=utf-8', 'Cache-Control': 'private, no-cache' });
  });

  app.get('/:id/log.txt', (c) => {
    const id = c.req.param('id');
    const run = isRunId(id) ? getRun(db, id) : null;
    if (!run) return notFoundPage(c);
    return c.body(run.log, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-cache' });
  });

  app.get('/:id/artifacts/:name', (c) => {
    const id = c.req.param('id');
    const name = c.req.param('name');
    const file = isRunId(id) && /^[A-Za-z0-9._-]{1,100}$/.test(name) ? getArtifact(db, id, name) : null;
    if (!file) return notFoundPage(c);
    // always plain text: an upload is never served with a type a browser would run
    return c.body(file.content, 200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      'Cache-Control': 'private, no-cache',
    });
  });

  app.get('/:id', (c) => {
    varyOnHtmx(c);
    const id = c.req.param('id');
    const run = isRunId(id) ? getRun(db, id) : null;
    if (!run) return notFoundPage(c);
    c.header('Cache-Control', 'private, no-cache');
    if (!run.listed) c.header('X-Robots-Tag', 'noindex');
    if (run.kind === 'scenario') return scenarioRunPage(c, deps, run, wantsFragment(c));
    const data = { ...runWorkspace(run, requestOrigin(c.req.raw), max, deps.cards), title: run.title, noindex: !run.listed };
    return c.html(render(wantsFragment(c) ? 'fragments/run-result' : 'pages/home', data));
  });

  return app;
}
