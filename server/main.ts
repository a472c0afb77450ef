import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { readConfig } from './config.js';
import { loadTaxonomy } from './diagnosis/taxonomy-loader.js';

// The only module with side effects: read the environment, load the taxonomy, listen.
const config = readConfig();
const taxonomy = loadTaxonomy(config.taxonomyDirs);
const app = createApp({ config, taxonomy });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
  console.log(`ReplayLab listening on http://${config.host}:${info.port} (taxonomy ${taxonomy.version}, ${taxonomy.patterns.length} patterns)`);
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
