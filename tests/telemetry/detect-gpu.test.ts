import { describe, expect, it } from 'vitest';
import { describeDetection, detectGpu, type GpuDetection } from '../../server/telemetry/index.js';
import { exited, fakeExec, fixture, mib, notFound, ok } from './helpers.js';

const timedOut = { code: null, stdout: '', stderr: '', error: 'timed out after 3000 ms' };

describe('detectGpu through a fake exec', () => {
  it('finds NVIDIA GPUs with nvidia-smi and asks nothing else', async () => {
    const exec = fakeExec((file) => (file === 'nvidia-smi' ? ok(fixture('nvidia-smi-4x-h100.csv')) : notFound));
    const d = await detectGpu(exec);
    expect(d).toMatchObject({ found: true, tool: 'nvidia-smi', vendor: 'nvidia' });
    expect(d.found && d.gpus).toEqual([0, 1, 2, 3].map((index) => ({ index, name: 'NVIDIA H100 80GB HBM3', vramTotalGiB: mib(81559) })));
    expect(exec.calls.map((c) => c.file)).toEqual(['nvidia-smi']);
    expect(exec.calls[0].timeoutMs).toBe(3000);
  });

  it('finds AMD GPUs with amd-smi, names from a second amd-smi call', async () => {
    const exec = fakeExec((file, args) => {
      if (file !== 'amd-smi') return notFound;
      return ok(fixture(args[0] === 'static' ? 'amd-smi-asic-list.json' : 'amd-smi-mem-list.json'));
    });
    const d = await detectGpu(exec);
    expect(d).toEqual({
      found: true, tool: 'amd-smi', vendor: 'amd',
      gpus: [
        { index: 0, name: 'AMD Instinct MI300X', vramTotalGiB: mib(196592) },
        { index: 1, name: 'AMD GPU 1', vramTotalGiB: mib(196592) }, // its market_name is N/A
      ],
    });
    expect(exec.calls.map((c) => [c.file, ...c.args].join(' '))).toEqual([
      'nvidia-smi --query-gpu=index,name,memory.used,memory.total,utilization.gpu,power.draw,temperature.gpu --format=csv,noheader,nounits',
      'amd-smi metric --mem-usage --json',
      'amd-smi static --asic --json',
    ]);
  });

  it('amd-smi failing on the names still detects the GPUs', async () => {
    const exec = fakeExec((file, args) => (file !== 'amd-smi' ? notFound : args[0] === 'static' ? exited(1, '', 'Traceback (most recent call last):') : ok(fixture('amd-smi-mem-wrapped.json'))));
    const d = await detectGpu(exec);
    expect(d.found && d.gpus.map((g) => g.name)).toEqual(['AMD GPU 0', 'AMD GPU 1']);
  });

  it('finds AMD GPUs with rocm-smi when there is no amd-smi (older ROCm)', async () => {
    const exec = fakeExec((file) => (file === 'rocm-smi' ? ok(fixture('rocm-smi-mi300x-2.json')) : notFound));
    const d = await detectGpu(exec);
    expect(d).toMatchObject({ found: true, tool: 'rocm-smi', vendor: 'amd' });
    expect(describeDetection(d)).toBe('2 × AMD Instinct MI300X OAM (191.7 GiB) via rocm-smi');
  });

  it('nvidia-smi present but failing (driver gone, exit 9) → tries the next tool, and keeps the reason', async () => {
    const exec = fakeExec((file) => {
      if (file === 'nvidia-smi') return exited(9, fixture('nvidia-smi-driver-failed.txt'));
      if (file === 'amd-smi') return timedOut;
      return ok(fixture('rocm-smi-product.txt'));
    });
    const d = await detectGpu(exec);
    expect(d).toMatchObject({ found: true, tool: 'rocm-smi', gpus: [{ index: 0, name: 'AMD Instinct MI300X OAM' }] });
    expect(exec.calls.map((c) => c.file)).toEqual(['nvidia-smi', 'amd-smi', 'rocm-smi']);
  });

  it('none found → every tool with its reason', async () => {
    const exec = fakeExec((file) => {
      if (file === 'nvidia-smi') return exited(9, fixture('nvidia-smi-driver-failed.txt'));
      if (file === 'amd-smi') return ok('[]');
      return exited(2, '', fixture('rocm-smi-no-driver.txt'));
    });
    const d = await detectGpu(exec);
    expect(d).toEqual({
      found: false,
      tried: [
        { tool: 'nvidia-smi', reason: expect.stringMatching(/^exited 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver\./) },
        { tool: 'amd-smi', reason: 'reported no GPUs: []' },
        { tool: 'rocm-smi', reason: 'exited 2: ERROR:root:Driver not initialized (amdgpu not found in modules)' },
      ],
    });
    expect((d as { tried: { reason: string }[] }).tried[0].reason.length).toBeLessThanOrEqual(170);
  });

  it('exit 0 with no GPU rows (nvidia-smi "No devices were found") is not found', async () => {
    const d = await detectGpu(fakeExec(() => ok(fixture('nvidia-smi-no-devices.txt'))), { tools: ['nvidia-smi'] });
    expect(d).toEqual({ found: false, tried: [{ tool: 'nvidia-smi', reason: 'reported no GPUs: No devices were found' }] });
  });

  it('passes its timeout to every call and honours the tool list', async () => {
    const exec = fakeExec(() => notFound);
    await detectGpu(exec, { timeoutMs: 250, tools: ['rocm-smi', 'nvidia-smi'] });
    expect(exec.calls.map((c) => [c.file, c.timeoutMs])).toEqual([['rocm-smi', 250], ['nvidia-smi', 250]]);
  });
});

describe('describeDetection', () => {
  it('one GPU: name, memory, tool', () => {
    const d: GpuDetection = { found: true, tool: 'nvidia-smi', vendor: 'nvidia', gpus: [{ index: 0, name: 'NVIDIA H200', vramTotalGiB: mib(143771) }] };
    expect(describeDetection(d)).toBe('NVIDIA H200 (140.4 GiB) via nvidia-smi');
  });

  it('mixed cards are listed; unified memory says so', () => {
    const d: GpuDetection = {
      found: true, tool: 'nvidia-smi', vendor: 'nvidia',
      gpus: [{ index: 0, name: 'NVIDIA GB10', vramTotalGiB: null }, { index: 1, name: 'Tesla T4', vramTotalGiB: 15 }],
    };
    expect(describeDetection(d)).toBe('NVIDIA GB10 (memory not reported), Tesla T4 (15.0 GiB) via nvidia-smi');
  });

  it('no GPU: each tool and why', async () => {
    expect(describeDetection(await detectGpu(fakeExec(() => notFound)))).toBe('no GPU: nvidia-smi, amd-smi and rocm-smi not found');
    expect(describeDetection({ found: false, tried: [] })).toBe('no GPU: no tool tried');
  });
});
