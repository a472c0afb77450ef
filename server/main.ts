import { serve } from '@hono/node-server';
import { createApp, resolveDeps } from './app.js';
import { DAY_MS, readConfig } from './config.js';
import { loadTaxonomy } from './diagnosis/taxonomy-loader.js';
import { readLlmConfig } from './llm/config.js';
import { describeLiveEnvironment, liveModules } from './runner/live/environment.js';
import { openDb } from './store/db.js';
import { markInterrupted, pruneRuns } from './store/runs.js';

// The only module with side effects: read the environment, load the taxonomy, open the store, listen.
const config = readConfig();
const taxonomy = loadTaxonomy(config.taxonomyDirs);
const store = openDb(config.dbFile);
const interrupted = markInterrupted(store.db);
const prune = () => pruneRuns(store.db, { maxRuns: config.maxRuns, maxAgeMs: config.maxAgeDays * DAY_MS });
const pruned = prune();
// the retention bound holds between restarts too: prune once an hour
const pruneTimer = setInterval(() => {
  try { prune(); } catch (e) { console.error('pruning runs failed', e); }
}, 60 * 60 * 1000);
pruneTimer.unref();

// LLM_BASE_URL unset: explanations are skipped, visibly; the cache is the store's llm_cache table
const llm = readLlmConfig(process.env);
const deps = resolveDeps({ config, taxonomy, db: store.db, llm: { config: llm } });
// the host only: a base URL may carry credentials
const llmHost = (() => { try { return new URL(llm?.baseUrl ?? '').host; } catch { return 'an invalid LLM_BASE_URL'; } })();
const app = createApp(deps);
// probe the GPU now (nvidia-smi / amd-smi / rocm-smi, a few ms without one) so the first page knows
if (config.liveGpu) {
  void (async () => {
    const env = await deps.live.environment();
    // then the python modules the live programs import (torch takes seconds), in the background
    if (env.gpu.found) for (const m of liveModules(deps.scenarios)) await deps.live.environment(m);
    console.log(`live mode: ${describeLiveEnvironment(env)}`);
  })().catch((e) => console.error('GPU probe failed', e));
}
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  console.log(`ReplayLab listening on http://${config.host}:${info.port} (taxonomy ${taxonomy.version}, ${taxonomy.patterns.length} patterns; `
    + `store ${config.dbFile}, ${pruned} runs pruned, ${interrupted} marked interrupted; `
    + `${llm ? `LLM ${llm.model} at ${llmHost}, timeout ${llm.timeoutMs} ms` : 'no LLM (LLM_BASE_URL unset)'})`);
});
const stop = () => {
  // runs cut off now are recorded as interrupted, with the reason, instead of at the next start
  deps.agent.stopAll('the server shut down');
  // live programs get SIGINT with the stop; give them a moment to end before the exit handler
  // SIGKILLs what is left
  const settled = Promise.race([deps.agent.idle(), new Promise((r) => setTimeout(r, 15_000))]);
  server.close(() => {
    void settled.then(() => {
      store.close();
      process.exit(0);
    });
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
