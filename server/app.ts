import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { RunRegistry, type ScenarioRunner } from './agent/run-registry.js';
import { loadScenarios, type Scenario } from './agent/scenario.js';
import type { AppConfig } from './config.js';
import type { Taxonomy } from './diagnosis/types.js';
import type { ExplanationCache } from './llm/cache.js';
import type { LlmConfig } from './llm/config.js';
import { sqliteCache } from './llm/sqlite-cache.js';
import { apiPage } from './routes/api-page.js';
import { diagnoseApi } from './routes/api-diagnose.js';
import { runsApi } from './routes/api-runs.js';
import { scenariosApi } from './routes/api-scenarios.js';
import { historyPage } from './routes/history.js';
import { homePage } from './routes/home.js';
import { errorPage, notFoundPage } from './routes/not-found.js';
import { runsRoutes } from './routes/runs.js';
import { scenarioRunRoutes } from './routes/scenario-runs.js';
import { createLiveOptions, type LiveOptions } from './runner/live/live-options.js';
import { scenarioRunner } from './runner/scenario-runner.js';
import { realExec } from './telemetry/exec.js';
import { staticFiles } from './routes/static.js';
import { openDb, type Db } from './store/db.js';
import { explainAfterPaste } from './web/paste-run.js';
import { scenarioCards, type ScenarioCard } from './web/scenario-cards.js';

export interface AppDeps {
  config: AppConfig;
  taxonomy: Taxonomy;
  /** the run store; main.ts passes the file in DATA_DIR. Left out (callers that only use the
   * JSON diagnose API, such as tests/api), runs go to a private in-memory database. */
  db?: Db;
  /** the scenarios (scenarios/*.yaml by default) */
  scenarios?: Scenario[];
  /** runs one experiment of a scenario (by default: a recording from runs/ in replay mode when one
   * matches, else the CPU simulators at config.simTimeScale) */
  runner?: ScenarioRunner;
  /** wall clock in ms for step timestamps (Date.now by default) */
  clock?: () => number;
  /** the scenario run registry; built from db, runner and config when left out (it must use the same db) */
  agent?: RunRegistry;
  /** the LLM sidecar: main.ts passes readLlmConfig(process.env); left out, no endpoint (explanations
   * are skipped, visibly) and the cache is the llm_cache table of `db` */
  llm?: { config: LlmConfig | null; cache?: ExplanationCache };
  /** how live mode reaches a GPU (default: probe this machine on first use with the real
   * nvidia-smi / amd-smi / rocm-smi; config.liveGpu false keeps live runs on the simulators) */
  live?: LiveOptions;
}

/** The LLM sidecar as the routes and the agent loop use it. */
export interface LlmDeps { config: LlmConfig | null; cache: ExplanationCache; taxonomyIds: string[] }

/** What the routes get: every dependency resolved. */
export type FullDeps = Omit<AppDeps, 'llm' | 'live'> & { db: Db; scenarios: Scenario[]; agent: RunRegistry; cards: ScenarioCard[]; llm: LlmDeps; live: LiveOptions };

export function resolveDeps(deps: AppDeps): FullDeps {
  const db = deps.db ?? openDb(':memory:').db;
  const { config } = deps;
  const scenarios = deps.scenarios ?? loadScenarios();
  const llm: LlmDeps = {
    config: deps.llm?.config ?? null,
    cache: deps.llm?.cache ?? sqliteCache(db),
    taxonomyIds: deps.taxonomy.patterns.map((p) => p.id),
  };
  const live = deps.live ?? createLiveOptions({
    enabled: config.liveGpu, exec: realExec, scenarios, telemetryIntervalMs: config.telemetryIntervalMs,
  });
  // one scenarioRunner per loop (it decides live or simulated once per loop); each loop has its
  // own AbortSignal, which is what identifies it here
  const perLoop = new WeakMap<AbortSignal, ReturnType<typeof scenarioRunner>>();
  const runner: ScenarioRunner = deps.runner ?? ((scenario, params, label, { signal, mode }) => {
    let run = perLoop.get(signal);
    if (!run) perLoop.set(signal, run = scenarioRunner(scenario, { mode, timeScale: config.simTimeScale, speed: config.replaySpeed, signal, live }));
    return run(params, label);
  });
  const agent = deps.agent ?? new RunRegistry({
    db, taxonomy: deps.taxonomy, runner, maxConcurrent: config.maxConcurrentRuns, now: deps.clock, llm,
    costs: { dollarsPerGpuHour: config.dollarsPerGpuHour, manualDebugHours: config.manualDebugHours, engineerDollarsPerHour: config.engineerDollarsPerHour },
  });
  return { ...deps, db, scenarios, agent, cards: scenarioCards(scenarios), llm, live };
}

/** Builds the whole HTTP app from its dependencies; no side effects, so tests call it freely. */
export function createApp(appDeps: AppDeps) {
  const deps = resolveDeps(appDeps);
  const { db } = deps;
  const app = new Hono();
  app.use(secureHeaders({
    // X-Frame-Options: SAMEORIGIN would blank the page inside the Hugging Face Space iframe;
    // frame-ancestors below says who may frame us instead
    xFrameOptions: false,
    referrerPolicy: 'no-referrer', // a private run's URL is its key: never send it elsewhere
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      frameAncestors: ["'self'", 'https://huggingface.co', 'https://*.hf.space'],
      imgSrc: ["'self'", 'data:'],
      // no inline styles: htmx's own indicator stylesheet is turned off (htmx-config meta,
      // includeIndicatorCSS:false) and its two rules live in public/app.css
      styleSrc: ["'self'"],
      scriptSrc: ["'self'"],
      formAction: ["'self'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  }));
  app.route('/', staticFiles());
  app.route('/api/diagnose', diagnoseApi(deps));
  app.route('/api/scenarios', scenariosApi(deps));
  app.route('/api/runs', runsApi(deps));
  app.route('/api', apiPage(deps));
  app.route('/', scenarioRunRoutes(deps));
  // the form's POST /runs stores the run; this explains it before the redirect goes out
  app.post('/runs', explainAfterPaste(db, deps.llm));
  app.route('/runs', runsRoutes(deps));
  app.route('/history', historyPage(db));
  app.route('/', homePage(deps));
  app.notFound((c) => notFoundPage(c));
  app.onError((err, c) => {
    console.error(err);
    return errorPage(c);
  });
  return app;
}
