import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYaml } from './lazy-yaml.js';
import { schemas } from './pattern-schema.js';

/** Parsing and validating ~25 YAML files costs ~300 ms at every CLI start (the yaml and zod
 * modules alone take half of it). The build stores each built-in file's validated form, keyed by
 * a hash of its text, beside the compiled code. A file whose text changed since, or a user's
 * extra pattern, is parsed and validated as usual: the cache can be skipped, never stale. */
const CACHE = fileURLToPath(new URL('../../taxonomy-cache.json', import.meta.url));

export type FileKind = 'pattern' | 'facts';
let cache: Map<string, unknown> | undefined;

const key = (kind: FileKind, text: string) => `${kind}:${createHash('sha256').update(text).digest('hex')}`;

/** The validated content of a file, from the cache when its text is unchanged. */
export function cachedValidated(kind: FileKind, text: string): unknown | undefined {
  cache ??= existsSync(CACHE) ? new Map(Object.entries(JSON.parse(readFileSync(CACHE, 'utf8')))) : new Map();
  const hit = cache.get(key(kind, text));
  return hit === undefined ? undefined : structuredClone(hit);
}

export const kindOf = (name: string): FileKind => (name.startsWith('_facts.') ? 'facts' : 'pattern');

/** Called by `npm run build`: writes the cache for the built-in taxonomy directory. */
export function writeTaxonomyCache(dir: string, out = CACHE): number {
  const entries: Record<string, unknown> = {};
  const { patternSchema, factsFileSchema } = schemas();
  for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
    const text = readFileSync(join(dir, name), 'utf8');
    const kind = kindOf(name);
    const parsed = (kind === 'facts' ? factsFileSchema : patternSchema).safeParse(parseYaml(text));
    if (parsed.success) entries[key(kind, text)] = parsed.data; // a bad file is reported by the loader
  }
  writeFileSync(out, JSON.stringify(entries));
  return Object.keys(entries).length;
}
