import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { SSEMessage } from 'hono/streaming';
import type { FullDeps } from '../app.js';
import type { FeedItem } from '../agent/run-feed.js';
import { overrideParams } from '../agent/run-request.js';
import { RUN_MODES, type RunMode } from '../store/schema.js';
import { isRunId } from '../store/ids.js';
import { getRun, type RunRecord } from '../store/runs.js';
import { listSteps } from '../store/steps.js';
import { renderReportMarkdown } from '../report/render-markdown.js';
import { renderReportHtml } from '../report/render-report.js';
import { render } from '../views.js';
import { requestOrigin } from '../web/origin.js';
import { runReportInput } from '../web/run-report.js';
import { scenarioRunView, statusLine } from '../web/scenario-view.js';
import { stepView } from '../web/step-view.js';
import { workspace } from '../web/workspace.js';
import { liveMachine } from '../web/live-machine.js';
import { notFoundPage } from './not-found.js';
import { feedResponse } from './sse.js';

/** The scenario run pages' own routes: POST /scenario-runs (a card's Run button), the HTML stream
 * the running page's htmx SSE reads, Stop, and the finished run's report (one self-contained HTML
 * file, or Markdown). GET /runs/:id itself lives in runs.ts. */
export function scenarioRunRoutes(deps: FullDeps) {
  const app = new Hono();
  const { db } = deps;

  app.post(
    '/scenario-runs',
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => notStarted(c, deps, 'the form is larger than 16 KiB', 413) }),
    async (c) => {
      let form: FormData;
      try { form = await c.req.formData(); } catch { return notStarted(c, deps, 'the form data could not be read'); }
      const scenario = deps.scenarios.find((s) => s.id === form.get('scenario'));
      if (!scenario) return notStarted(c, deps, 'choose one of the scenarios below');
      const mode = String(form.get('mode') ?? 'live');
      if (!(RUN_MODES as readonly string[]).includes(mode)) return notStarted(c, deps, `unknown mode "${mode}"`);
      // every other field is a param override, checked like the JSON API's (numbers in bounds only)
      const overrides = Object.fromEntries([...form.entries()].filter(([k]) => k !== 'scenario' && k !== 'mode'));
      const params = overrideParams(scenario, overrides);
      if (!params.ok) return notStarted(c, deps, params.error);
      const id = deps.agent.start({ scenario, mode: mode as RunMode, params: params.params });
      return c.redirect(`/runs/${id}`, 303);
    },
  );

  app.get('/scenario-runs', (c) => c.redirect('/', 302));

  app.get('/runs/:id/stream', (c) => {
    const id = c.req.param('id');
    const run = isRunId(id) ? getRun(db, id) : null;
    if (!run || run.kind !== 'scenario') return notFoundPage(c);
    // the bar of each streamed step is against the longest step so far, the page's ones included
    let longest = Math.max(0, ...listSteps(db, id).map((s) => s.durationMs));
    const origin = requestOrigin(c.req.raw);
    return feedResponse(c, deps, id, (item: FeedItem): SSEMessage[] => {
      if (item.type === 'progress') {
        // no id (a reconnect resumes after the last finished step) and no status line: the
        // aria-live line would read every token aloud
        return [{ data: render('fragments/stream-step', { step: stepView(item.step, longest), status: null }) }];
      }
      if (item.type === 'step') {
        longest = Math.max(longest, item.step.durationMs);
        const status = statusLine({ ...run, status: 'running' }, [item.step], null);
        return [{ id: String(item.step.seq), data: render('fragments/stream-step', { step: stepView(item.step, longest), status }) }];
      }
      const view = scenarioRunView(item.run, listSteps(db, id), origin);
      return [{ data: render('fragments/stream-end', { scenarioRun: view }) }, { event: 'done', data: view.statusLine }];
    });
  });

  // the report of a finished run: 404 for a pasted run, an unknown id or a run that stopped before
  // the end (it has no result); 409 while it still runs (the report exists once the last step is done)
  const report = (format: 'html' | 'md') => (c: Context) => {
    const id = c.req.param('id') ?? '';
    const run = isRunId(id) ? getRun(db, id) : null;
    if (!run) return notFoundPage(c);
    const made = runReportInput(run, listSteps(db, id), deps.scenarios, new Date(deps.clock?.() ?? Date.now()));
    if (!made.ok && made.why === 'running') {
      c.header('Cache-Control', 'no-store');
      c.header('Retry-After', '3');
      return c.text(`This run is still running: its report is ready once the last step is done. Its page: /runs/${id}\n`, 409);
    }
    if (!made.ok) return notFoundPage(c);
    if (format === 'md') {
      return c.body(renderReportMarkdown(made.input), 200, {
        'Content-Type': 'text/markdown; charset=utf-8',
        'Content-Disposition': `inline; filename="replaylab-${id}.md"`,
        'Cache-Control': 'private, no-cache',
      });
    }
    return c.body(renderReportHtml(made.input), 200, {
      'Content-Type': 'text/html; charset=utf-8',
      // a download: the file is meant to be kept, attached or mailed (it loads nothing)
      'Content-Disposition': `attachment; filename="replaylab-${id}.html"`,
      'Cache-Control': 'private, no-cache',
    });
  };
  app.get('/runs/:id/report.html', report('html'));
  app.get('/runs/:id/report.md', report('md'));

  app.post('/runs/:id/stop', (c) => {
    const id = c.req.param('id');
    const run = isRunId(id) ? getRun(db, id) : null;
    if (!run) return notFoundPage(c);
    deps.agent.stop(id);
    return c.redirect(`/runs/${id}`, 303);
  });

  return app;
}

/** A scenario run's page: the scenario cards on the left, its summary and timeline on the right.
 * While it runs the timeline streams (htmx SSE) and, without JavaScript, the page reloads itself. */
export function scenarioRunPage(c: Context, deps: FullDeps, run: RunRecord, fragment: boolean) {
  const steps = listSteps(deps.db, run.id);
  const view = scenarioRunView(run, steps, requestOrigin(c.req.raw), deps.agent.queuePosition(run.id));
  const data = {
    ...workspace(deps.config.maxLogBytes, { scenarios: deps.cards, machine: liveMachine(deps.live), scenarioRun: view, status: view.statusLine }),
    title: `Scenario: ${run.title}`, refresh: view.running ? 3 : null,
  };
  return c.html(render(fragment ? 'fragments/run-result' : 'pages/home', data));
}

function notStarted(c: Context, deps: FullDeps, message: string, status: 400 | 413 = 400) {
  const data = workspace(deps.config.maxLogBytes, { scenarios: deps.cards, machine: liveMachine(deps.live), status: `Not started: ${message}.` });
  return c.html(render('pages/home', { ...data, title: 'Not started' }), status);
}
