import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { diagnoseText } from '../diagnosis/diagnose.js';
import { ConfigError } from '../diagnosis/run-config.js';
import type { FullDeps } from '../app.js';
import { explainDiagnosis } from '../llm/explain.js';
import { readLogRequest, RequestError } from './read-log-request.js';

/** POST /api/diagnose: the same JSON object as `replaylab diagnose --json`. With `"explain": true`
 * (a multipart field explain=true) it adds `explanation`: the LLM's, or `{ source: 'none', reason }`
 * when there is none (no endpoint, timeout, a bad answer); never an error, never slower than
 * the LLM timeout. The log and config are redacted before anything leaves the process. */
export function diagnoseApi(deps: FullDeps) {
  const app = new Hono();
  // multipart adds boundaries and a config file to the log: allow some room above the log limit
  const limit = deps.config.maxLogBytes * 2 + 64 * 1024;
  app.post(
    '/',
    bodyLimit({ maxSize: limit, onError: (c) => c.json({ error: `request body over ${limit} bytes` }, 413) }),
    async (c) => {
      try {
        const body = await readLogRequest(c.req.raw, deps.config.maxLogBytes);
        if (!body.log.trim()) return c.json({ error: 'the log is empty' }, 400);
        const diagnosis = diagnoseText(deps.taxonomy, body.log, body.config);
        if (!body.explain) return c.json(diagnosis);
        const { config, cache, taxonomyIds } = deps.llm;
        const explanation = await explainDiagnosis(diagnosis, { log: body.log, config: body.config }, { config, cache, taxonomyIds });
        return c.json({ ...diagnosis, explanation });
      } catch (e) {
        if (e instanceof RequestError) return c.json({ error: e.message }, e.status);
        if (e instanceof ConfigError) return c.json({ error: e.message, field: 'config' }, 400);
        throw e;
      }
    },
  );
  return app;
}
