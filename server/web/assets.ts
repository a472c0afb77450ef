import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The files under public/ the pages use: an allow-list, so no request path reaches the file
 * system. Read once, on first use. The htmx version is the one vendored in public/vendor. */
export const HTMX_VERSION = '4.0.1';

interface Asset { file: string; type: string; cache: string }

const SHORT = 'public, max-age=300';
// the URL carries a version (?v=), so a new file comes with a new URL
const LONG = 'public, max-age=31536000, immutable';

export const ASSETS: Record<string, Asset> = {
  '/static/app.css': { file: 'app.css', type: 'text/css; charset=utf-8', cache: SHORT },
  '/static/timeline.css': { file: 'timeline.css', type: 'text/css; charset=utf-8', cache: SHORT },
  '/static/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8', cache: SHORT },
  '/vendor/htmx.min.js': { file: 'vendor/htmx.min.js', type: 'text/javascript; charset=utf-8', cache: LONG },
  // htmx 4's server-sent-events extension, from the same htmx.org release (dist/ext/hx-sse.min.js)
  '/vendor/hx-sse.min.js': { file: 'vendor/hx-sse.min.js', type: 'text/javascript; charset=utf-8', cache: LONG },
};

function publicDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../../public', '../../../public']) {
    const dir = join(here, up);
    if (existsSync(join(dir, 'app.css'))) return dir;
  }
  throw new Error(`public folder not found above ${here}`);
}

const cache = new Map<string, Buffer>();

export function assetBody(path: string): Buffer | null {
  const asset = ASSETS[path];
  if (!asset) return null;
  let body = cache.get(path);
  if (!body) cache.set(path, (body = readFileSync(join(publicDir(), asset.file))));
  return body;
}

let version: string | undefined;

/** A short hash of the CSS and JS, appended to their URLs so a deploy is picked up at once. */
export function assetVersion(): string {
  version ??= createHash('sha256').update(assetBody('/static/app.css')!).update(assetBody('/static/timeline.css')!).update(assetBody('/static/app.js')!).digest('hex').slice(0, 10);
  return version;
}
