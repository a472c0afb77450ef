import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAmdSmiMemory, parseAmdSmiNames, parseNvidiaSmi, parseRocmSmi } from '../../server/telemetry/index.js';
import { fixture } from './helpers.js';

const PARSERS = { parseNvidiaSmi, parseRocmSmi, parseAmdSmiMemory, parseAmdSmiNames: (t: string) => [...parseAmdSmiNames(t)] };

/** Text that looks a little like the tools' output, so the property reaches past the first check. */
const smiLike = fc.array(
  fc.oneof(
    fc.string(),
    fc.constantFrom('[N/A]', '[Not Supported]', 'N/A', 'GPU[0]\t\t: ', 'card0', '"gpu_data"', '{', '}', '[', ']', ',', ': ', '\n', 'MB', '"value"', 'WARNING: '),
    fc.integer().map(String),
    fc.json(),
  ),
  { maxLength: 30 },
).map((parts) => parts.join(''));

describe('parsers on garbage', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name} never throws and always returns a list`, () => {
      fc.assert(fc.property(smiLike, (text) => Array.isArray(parse(text))), { numRuns: 300 });
    });
  }

  it('truncated real output gives a list of readings with numbers or null, never NaN', () => {
    const texts = ['nvidia-smi-4x-h100.csv', 'rocm-smi-mi300x-2.json', 'rocm-smi-product.txt', 'amd-smi-mem-wrapped.json'].map(fixture);
    for (const text of texts) {
      for (let cut = 0; cut <= text.length; cut += 7) {
        for (const g of [...parseNvidiaSmi(text.slice(0, cut)), ...parseRocmSmi(text.slice(0, cut)), ...parseAmdSmiMemory(text.slice(0, cut))]) {
          expect(Number.isInteger(g.index)).toBe(true);
          for (const v of [g.vramUsedGiB, g.vramTotalGiB]) expect(v === null || Number.isFinite(v)).toBe(true);
        }
      }
    }
  });
});
