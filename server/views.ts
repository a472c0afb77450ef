import { Eta } from 'eta';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assetVersion, HTMX_VERSION } from './web/assets.js';
import * as helpers from './web/view-helpers.js';

/** The views folder sits at the repository root; tsc does not copy .eta files, so from
 * server/ (tsx) and from dist/server/ (compiled) alike we look for it above this module. */
function viewsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../views', '../../views']) {
    const dir = join(here, up);
    if (existsSync(join(dir, 'layouts', 'base.eta'))) return dir;
  }
  throw new Error(`views folder not found above ${here}`);
}

// autoEscape: `<%= %>` escapes & < > " ' ; `<%~ %>` is kept for HTML the server itself rendered
const eta = new Eta({ views: viewsDir(), cache: true, autoEscape: true, autoTrim: [false, 'nl'] });

/** Renders a template under views/ (e.g. 'pages/home'); templates reach helpers as `it.h`. */
export function render(name: string, data: Record<string, unknown> = {}): string {
  return eta.render(`/${name}`, { h: helpers, asset: assetVersion(), htmxVersion: HTMX_VERSION, ...data });
}
