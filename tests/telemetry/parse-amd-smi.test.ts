import { describe, expect, it } from 'vitest';
import { amdSmiMemoryArgs, parseAmdSmiMemory, parseAmdSmiNames } from '../../server/telemetry/index.js';
import { fixture, mib } from './helpers.js';

describe('parseAmdSmiMemory', () => {
  it('reads the list of {value, unit} objects; "MB" is MiB', () => {
    expect(parseAmdSmiMemory(fixture('amd-smi-mem-list.json'))).toEqual([
      { index: 0, vramUsedGiB: mib(168012), vramTotalGiB: mib(196592) },
      { index: 1, vramUsedGiB: mib(283), vramTotalGiB: mib(196592) },
    ]);
    expect(parseAmdSmiMemory(fixture('amd-smi-mem-list.json'))[0].vramTotalGiB).toBeCloseTo(191.98, 2);
  });

  it('reads the older "196592 MB" strings', () => {
    expect(parseAmdSmiMemory(fixture('amd-smi-mem-strings.json'))).toEqual([{ index: 0, vramUsedGiB: 96, vramTotalGiB: mib(196592) }]);
  });

  it('reads the newer {"gpu_data": [...]} after a WARNING line; used N/A → total minus free', () => {
    expect(parseAmdSmiMemory(fixture('amd-smi-mem-wrapped.json'))).toEqual([
      { index: 0, vramUsedGiB: 2, vramTotalGiB: mib(262128) },
      { index: 1, vramUsedGiB: mib(262128 - 131064), vramTotalGiB: mib(262128) },
    ]);
  });

  it('all N/A: the GPU is kept with memory null', () => {
    expect(parseAmdSmiMemory(fixture('amd-smi-mem-not-reported.json'))).toEqual([{ index: 0, vramUsedGiB: null, vramTotalGiB: null }]);
  });

  it('a bare object for a single GPU, other units, and names passed in', () => {
    const one = '{"gpu": 2, "mem_usage": {"total_vram": {"value": 64, "unit": "GB"}, "used_vram": {"value": 1073741824, "unit": "B"}}}';
    expect(parseAmdSmiMemory(one, new Map([[2, 'AMD Instinct MI210']]))).toEqual([{ index: 2, name: 'AMD Instinct MI210', vramUsedGiB: 1, vramTotalGiB: 64 }]);
  });

  it('an unknown unit is not guessed at', () => {
    expect(parseAmdSmiMemory('[{"gpu": 0, "mem_usage": {"total_vram": {"value": 5, "unit": "furlongs"}}}]')[0].vramTotalGiB).toBeNull();
  });

  it('other tools\' output and garbage → []', () => {
    for (const text of [fixture('rocm-smi-mi300x-2.json'), fixture('nvidia-smi-h200.csv'), fixture('amd-smi-asic-list.json'), '', 'null', '[', '[{"gpu": "x", "mem_usage": {}}]', '{"gpu_data": 7}']) {
      expect(parseAmdSmiMemory(text)).toEqual([]);
    }
  });

  it('selects one GPU with -g for the sampler', () => {
    expect(amdSmiMemoryArgs()).toEqual(['metric', '--mem-usage', '--json']);
    expect(amdSmiMemoryArgs(1)).toEqual(['metric', '-g', '1', '--mem-usage', '--json']);
  });
});

describe('parseAmdSmiNames', () => {
  it('reads market_name per GPU and leaves out N/A', () => {
    expect([...parseAmdSmiNames(fixture('amd-smi-asic-list.json'))]).toEqual([[0, 'AMD Instinct MI300X']]);
  });

  it('reads the gpu_data wrapping', () => {
    expect([...parseAmdSmiNames(fixture('amd-smi-asic-wrapped.json'))]).toEqual([[0, 'AMD Instinct MI325X']]);
  });

  it('garbage → no names', () => {
    expect(parseAmdSmiNames('Segmentation fault').size).toBe(0);
    expect(parseAmdSmiNames(fixture('amd-smi-mem-list.json')).size).toBe(0);
  });
});
