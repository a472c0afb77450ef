#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci`/`npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/server/cli-main.js', import.meta.url);
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write('replaylab: not built yet; run `npm run build` in the replaylab folder\n');
  process.exit(1);
}
await import(compiled.href);
