import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppConfig } from './config.js';
import type { Taxonomy } from './diagnosis/types.js';
import { apiPage } from './routes/api-page.js';
import { diagnoseApi } from './routes/api-diagnose.js';
import { runsApi } from './routes/api-runs.js';
import { historyPage } from './routes/history.js';
import { homePage } from './routes/home.js';
import { errorPage, notFoundPage } from './routes/not-found.js';
import { runsRoutes } from './routes/runs.js';
import { staticFiles } from './routes/static.js';
import { openDb, type Db } from './store/db.js';

export interface AppDeps {
  config: AppConfig;
  taxonomy: Taxonomy;
  /** the run store; main.ts passes the file in DATA_DIR. Left out (callers that only use the
   * JSON diagnose API, such as tests/api), runs go to a private in-memory database. */
  db?: Db;
}

/** Builds the whole HTTP app from its dependencies; no side effects, so tests call it freely. */
export function createApp(deps: AppDeps) {
  const db = deps.db ?? openDb(':memory:').db;
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
  app.route('/api/runs', runsApi(db));
  app.route('/api', apiPage(deps));
  app.route('/runs', runsRoutes({ ...deps, db }));
  app.route('/history', historyPage(db));
  app.route('/', homePage(deps));
  app.notFound((c) => notFoundPage(c));
  app.onError((err, c) => {
    console.error(err);
    return errorPage(c);
  });
  return app;
}
