import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

// A pattern runs on untrusted logs: a regex with catastrophic backtracking would let one pasted
// line hang the server. recheck proves each one safe (or finds an attack string).
const tax = builtinTaxonomy();

describe('every taxonomy regex is free of catastrophic backtracking', () => {
  it.each(tax.signals.map((s) => [s.name, s.re] as const))('%s', (_name, re) => {
    // 'vulnerable' fails; 'unknown' (the checker ran out of time on a loaded machine) does not
    const result = checkSync(re.source, re.flags, { timeout: 5_000 });
    expect(result.status, `${re.source}: ${JSON.stringify(result)}`).not.toBe('vulnerable');
  });
});
