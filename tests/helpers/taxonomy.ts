import { loadTaxonomy } from '../../server/diagnosis/taxonomy-loader.js';
import type { Taxonomy } from '../../server/diagnosis/types.js';

let cached: Taxonomy | undefined;

/** The built-in taxonomy, loaded once per test file (loading compiles ~200 regexes). */
export function builtinTaxonomy(): Taxonomy {
  cached ??= loadTaxonomy();
  return cached;
}
