import { describe, expect, it } from 'vitest';
import { nvidiaSmiArgs, parseNvidiaSmi } from '../../server/telemetry/index.js';
import { fixture, mib } from './helpers.js';

describe('parseNvidiaSmi', () => {
  it('reads one GPU with a name that has spaces, memory in MiB → GiB', () => {
    expect(parseNvidiaSmi(fixture('nvidia-smi-h200.csv'))).toEqual([
      { index: 0, name: 'NVIDIA H200', vramUsedGiB: mib(1234), vramTotalGiB: mib(143771), utilPct: 0, powerW: 75.23, tempC: 32 },
    ]);
  });

  it('reads every GPU of a multi-GPU box, in order', () => {
    const gpus = parseNvidiaSmi(fixture('nvidia-smi-4x-h100.csv'));
    expect(gpus.map((g) => g.index)).toEqual([0, 1, 2, 3]);
    expect(gpus.every((g) => g.name === 'NVIDIA H100 80GB HBM3')).toBe(true);
    expect(gpus[1]).toMatchObject({ vramUsedGiB: mib(71829), vramTotalGiB: mib(81559), utilPct: 97, powerW: 598.02, tempC: 65 });
    expect(gpus[3].vramUsedGiB).toBeCloseTo(0.0039, 4);
  });

  it('[N/A] and [Not Supported] fields are not reported: memory null, the rest absent, the GPU kept', () => {
    const [gb10, t4] = parseNvidiaSmi(fixture('nvidia-smi-not-reported.csv'));
    expect(gb10).toEqual({ index: 0, name: 'NVIDIA GB10', vramUsedGiB: null, vramTotalGiB: null, utilPct: 4, tempC: 43 });
    expect(t4).toEqual({ index: 1, name: 'Tesla T4', vramUsedGiB: 5, vramTotalGiB: 15 });
  });

  it('accepts values with units (a query without nounits) and CRLF line ends', () => {
    const gpus = parseNvidiaSmi('0, NVIDIA A100-SXM4-40GB, 2048 MiB, 40960 MiB, 7 %, 61.50 W, 35\r\n');
    expect(gpus).toEqual([{ index: 0, name: 'NVIDIA A100-SXM4-40GB', vramUsedGiB: 2, vramTotalGiB: 40, utilPct: 7, powerW: 61.5, tempC: 35 }]);
  });

  it('a comma inside a name does not shift the numbers', () => {
    expect(parseNvidiaSmi('2, Quadro RTX, 8000, 100, 48601, 1, 20.1, 30')[0]).toMatchObject({ index: 2, name: 'Quadro RTX, 8000', vramUsedGiB: mib(100), vramTotalGiB: mib(48601) });
  });

  it('skips a header line and anything that is not a GPU row', () => {
    const text = `index, name, memory.used [MiB], memory.total [MiB], utilization.gpu [%], power.draw [W], temperature.gpu\n${fixture('nvidia-smi-h200.csv')}\nWarning: persistence mode is disabled\n`;
    expect(parseNvidiaSmi(text).map((g) => g.index)).toEqual([0]);
  });

  it('driver failure, "No devices were found", empty and binary garbage → []', () => {
    expect(parseNvidiaSmi(fixture('nvidia-smi-driver-failed.txt'))).toEqual([]);
    expect(parseNvidiaSmi(fixture('nvidia-smi-no-devices.txt'))).toEqual([]);
    expect(parseNvidiaSmi('')).toEqual([]);
    expect(parseNvidiaSmi('\u0000\u00ff,,,,,,,\n,,,,,,,,,,')).toEqual([]);
  });

  it('asks for the fields in the order the parser reads them, and for one GPU with -i', () => {
    expect(nvidiaSmiArgs()).toEqual(['--query-gpu=index,name,memory.used,memory.total,utilization.gpu,power.draw,temperature.gpu', '--format=csv,noheader,nounits']);
    expect(nvidiaSmiArgs(3).slice(-2)).toEqual(['-i', '3']);
  });
});
