import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateTrainStep, torchSize, trainStepFromArgv } from '../../server/runner/simulators/index.js';

/** Reads PyTorch's OOM message back into MiB, as anyone reading the log would. */
function parseOom(text: string) {
  const size = (s: string) => { const [n, u] = s.split(' '); return Number(n) * (u === 'GiB' ? 1024 : u === 'MiB' ? 1 : u === 'KiB' ? 1 / 1024 : 1 / 2 ** 20); };
  const m = /Tried to allocate ([\d.]+ \w+)\. GPU 0 has a total capacity of ([\d.]+ \w+) of which ([\d.]+ \w+) is free\. Including non-PyTorch memory, this process has ([\d.]+ \w+) memory in use\. Of the allocated memory ([\d.]+ \w+) is allocated by PyTorch, and ([\d.]+ \w+) is reserved by PyTorch but unallocated\./.exec(text);
  if (!m) throw new Error(`no OOM message in: ${text}`);
  const [tried, capacity, free, inUse, allocated, unallocated] = m.slice(1).map(size);
  return { tried, capacity, free, inUse, allocated, unallocated };
}

describe('train-step: the original demo memory model (2048 MB + batch x 128 MB + 512 MB of 8192 MB)', () => {
  it('batch 64 needs 10,752 MB and fails in loss.backward() with a PyTorch-format OOM, exit 1', () => {
    const r = simulateTrainStep({ batchSize: 64 });
    expect(r.exitCode).toBe(1);
    expect(r.metrics.required_memory_gib).toBe(10.5); // 10,752 MiB
    const oom = r.stderr[r.stderr.length - 1];
    expect(oom).toMatch(/^torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate 4\.00 GiB\. GPU 0 has a total capacity of 8\.00 GiB of which 1\.50 GiB is free\. Including non-PyTorch memory, this process has 6\.50 GiB memory in use\. Of the allocated memory 6\.00 GiB is allocated by PyTorch, and 20\.00 MiB is reserved by PyTorch but unallocated\./);
    const frames = r.stderr.filter((l) => l.startsWith('  File "/workspace/train.py"'));
    expect(r.stderr[r.stderr.indexOf(frames[frames.length - 1]) + 1]).toBe('    loss.backward()');
    expect(r.stdout).toEqual([]);
  });

  it('its OOM numbers add up, and the largest batch computed from them fits', () => {
    const o = parseOom(simulateTrainStep({ batchSize: 64 }).stderr.join('\n'));
    expect(o.inUse + o.free).toBe(o.capacity); // one process on the card
    expect(o.inUse + o.tried).toBe(2048 + 64 * 128 + 512); // the step's whole demand, 10,752 MiB
    expect(o.inUse - o.allocated - o.unallocated).toBe(512 - 20); // non-PyTorch: the runtime context
    // backward asks for as much again as forward saved, so per sample = 2 x tried / batch and the
    // fixed part = in use - tried
    const perSample = (2 * o.tried) / 64;
    const fixed = o.inUse - o.tried;
    const largest = Math.floor((o.capacity - fixed) / perSample);
    expect(largest).toBe(44); // (8192 - 2560) / 128
    expect(simulateTrainStep({ batchSize: largest }).exitCode).toBe(0);
    expect(simulateTrainStep({ batchSize: largest + 1 }).exitCode).toBe(1);
  });

  it('batch 32 (the planner\'s fix) fits, and accumulation 2 keeps the effective batch and the losses', () => {
    const fixed = simulateTrainStep({ batchSize: 32, gradientAccumulationSteps: 2 });
    expect(fixed.exitCode).toBe(0);
    expect(fixed.metrics).toMatchObject({ completed: true, effective_batch: 64, steps: 20, peak_memory_gib: 6.5, simulated: true });
    const json = JSON.parse(fixed.stdout[fixed.stdout.length - 1]);
    expect(json).toMatchObject({ effective_batch: 64, steps: 20, simulated: true });
    expect(json.items_per_s).toBeGreaterThan(0);
    // a 16 GiB card runs batch 64 directly: same effective batch, same loss lines
    const big = simulateTrainStep({ batchSize: 64, gpuMemoryGib: 16 });
    expect(big.exitCode).toBe(0);
    const losses = (r: typeof big) => r.stdout.filter((l) => l.startsWith("{'loss'"));
    expect(losses(fixed)).toEqual(losses(big));
    expect(losses(fixed)[0]).toMatch(/^\{'loss': [\d.]+, 'grad_norm': [\d.]+, 'learning_rate': [\de.-]+, 'epoch': [\d.]+\}$/);
  });

  it('the original recovered config, batch 8, needs 3,584 MB and runs', () => {
    const r = simulateTrainStep({ batchSize: 8 });
    expect(r.exitCode).toBe(0);
    expect(r.metrics.peak_memory_gib).toBe(3.5);
  });

  it('fits exactly when fixed + batch x activations <= capacity, for any flags', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 256 }), fc.integer({ min: 4, max: 48 }), fc.integer({ min: 0, max: 40 }), (batch, gpuGib, modelTenths) => {
      const modelGib = modelTenths / 10 * 2;
      const r = simulateTrainStep({ batchSize: batch, gpuMemoryGib: gpuGib, modelGib, steps: 2 });
      const need = 512 + modelGib * 1024 + batch * 128;
      expect(r.exitCode).toBe(need <= gpuGib * 1024 ? 0 : 1);
      if (r.exitCode === 1) {
        const o = parseOom(r.stderr.join('\n'));
        // each GiB figure is rounded to 0.01 GiB (at most 5.12 MiB off), two of them add up
        expect(Math.abs(o.inUse + o.free - gpuGib * 1024)).toBeLessThanOrEqual(10.25);
        expect(o.tried).toBeGreaterThan(o.free);
      }
    }), { numRuns: 150 });
  });

  it('formats sizes as c10 does', () => {
    expect(torchSize(844)).toBe('844.00 MiB');
    expect(torchSize(1024)).toBe('1024.00 MiB'); // exactly 1 GiB stays in MiB (size <= 1 GiB)
    expect(torchSize(4096)).toBe('4.00 GiB');
    expect(torchSize(0)).toBe('0 bytes');
  });

  it('takes python train.py flags; a bad one exits 2 after the provenance line', () => {
    const { result } = trainStepFromArgv(['--batch-size', '64', '--gradient-accumulation-steps', '1']);
    expect(result.exitCode).toBe(1);
    const bad = trainStepFromArgv(['--batch-size', 'x']).result;
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr[0]).toMatch(/^\[replaylab-simulator\] train-step v1: simulated on CPU/);
    expect(bad.stderr[2]).toBe("train.py: error: argument --batch-size: invalid int value: 'x'");
  });
});
