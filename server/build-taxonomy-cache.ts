import { fileURLToPath } from 'node:url';
import { writeTaxonomyCache } from './diagnosis/taxonomy-cache.js';

// Run by `npm run build` after tsc: parsed taxonomy beside the compiled code (see taxonomy-cache.ts).
const dir = fileURLToPath(new URL('../../taxonomy', import.meta.url));
console.log(`taxonomy cache: ${writeTaxonomyCache(dir)} files`);
