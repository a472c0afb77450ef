import { describe, expect, it } from 'vitest';
import { parseRocmSmi, parseRocmSmiJson, parseRocmSmiText, rocmSmiArgs } from '../../server/telemetry/index.js';
import { bytes, fixture } from './helpers.js';

describe('parseRocmSmiJson', () => {
  it('reads the JSON after WARNING lines, one reading per cardN, "system" is not a GPU', () => {
    expect(parseRocmSmiJson(fixture('rocm-smi-mi300x-2.json'))).toEqual([
      { index: 0, name: 'AMD Instinct MI300X OAM', vramUsedGiB: bytes(176093659136), vramTotalGiB: bytes(205822885888), utilPct: 31 },
      { index: 1, name: 'AMD Instinct MI300X OAM', vramUsedGiB: bytes(297795584), vramTotalGiB: bytes(205822885888), utilPct: 0 },
    ]);
  });

  it('an MI300X has 191.7 GiB of VRAM', () => {
    expect(parseRocmSmiJson(fixture('rocm-smi-mi300x-2.json'))[0].vramTotalGiB).toBeCloseTo(191.69, 2);
  });

  it('N/A values: memory null, no utilisation; the old lower-case keys still name the card by its SKU', () => {
    expect(parseRocmSmiJson(fixture('rocm-smi-not-reported.json'))).toEqual([{ index: 0, name: 'D67301', vramUsedGiB: null, vramTotalGiB: null }]);
  });

  it('a card model that is only a PCI id is not a name', () => {
    expect(parseRocmSmiJson('{"card3": {"Card Model": "0x74a1", "VRAM Total Memory (B)": 1073741824, "VRAM Total Used Memory (B)": 0}}')).toEqual([
      { index: 3, vramUsedGiB: 0, vramTotalGiB: 1 },
    ]);
  });

  it('sorts cards by number (card10 after card2)', () => {
    const doc = JSON.stringify({ card10: { 'VRAM Total Memory (B)': '0' }, card2: { 'VRAM Total Memory (B)': '0' } });
    expect(parseRocmSmiJson(doc).map((g) => g.index)).toEqual([2, 10]);
  });

  it('a WARNING printed after the JSON does not hide it', () => {
    const text = `${fixture('rocm-smi-not-reported.json')}WARNING: one or more commands failed\n`;
    expect(parseRocmSmiJson(text)).toHaveLength(1);
  });
});

describe('parseRocmSmiText', () => {
  it('reads the text report of two GPUs (GPU[i]\\t\\t: key: value)', () => {
    expect(parseRocmSmiText(fixture('rocm-smi-mi300x-2.txt'))).toEqual([
      { index: 0, vramUsedGiB: bytes(101468274688), vramTotalGiB: bytes(205822885888), utilPct: 12 },
      { index: 1, vramUsedGiB: bytes(297795584), vramTotalGiB: bytes(205822885888), utilPct: 0 },
    ]);
  });

  it('takes the name from the Product Info section', () => {
    expect(parseRocmSmiText(fixture('rocm-smi-product.txt'))).toEqual([
      { index: 0, name: 'AMD Instinct MI300X OAM', vramUsedGiB: bytes(187005718528), vramTotalGiB: bytes(205822885888), utilPct: 25 },
    ]);
  });
});

describe('parseRocmSmi', () => {
  it('reads JSON or text, whichever was printed', () => {
    expect(parseRocmSmi(fixture('rocm-smi-mi300x-2.json'))).toHaveLength(2);
    expect(parseRocmSmi(fixture('rocm-smi-product.txt'))[0].name).toBe('AMD Instinct MI300X OAM');
  });

  it('driver errors, the other tools\' output and garbage → []', () => {
    for (const text of [fixture('rocm-smi-no-driver.txt'), fixture('nvidia-smi-h200.csv'), fixture('amd-smi-mem-list.json'), '', '{', '{"card0": 5}', '[1,2]', 'GPU[x]: a: b']) {
      expect(parseRocmSmi(text)).toEqual([]);
    }
  });

  it('selects one card with -d for the sampler', () => {
    expect(rocmSmiArgs()).toEqual(['--showproductname', '--showmeminfo', 'vram', '--showuse', '--json']);
    expect(rocmSmiArgs(1).slice(0, 2)).toEqual(['-d', '1']);
  });
});
