import { describe, expect, it } from 'vitest';
import { readGpuMemory, startSampler } from '../../server/telemetry/index.js';
import { exited, fakeExec, fixture, mib, ok, sleep } from './helpers.js';

/** nvidia-smi's answer for GPU 0 with `usedMiB` in use. */
const h200 = (usedMiB: number) => ok(`0, NVIDIA H200, ${usedMiB}, 143771, 10, 100.00, 40\n`);

describe('startSampler with a fake exec', () => {
  it('samples at about the interval, the first one at once, t_ms from the start, source = tool', async () => {
    let used = 1000;
    const exec = fakeExec(() => h200((used += 1024)));
    const sampler = startSampler({ exec, tool: 'nvidia-smi', gpuIndex: 0, intervalMs: 40 });
    await sleep(420);
    const samples = await sampler.stop();
    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(samples.length).toBeLessThanOrEqual(12);
    expect(samples[0].t_ms).toBeLessThan(40);
    const gaps = samples.slice(1).map((s, i) => s.t_ms - samples[i].t_ms);
    // never closer than the interval (less a ms or two of timer and rounding slack)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(37);
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeLessThan(120);
    expect(samples[0]).toEqual({ t_ms: samples[0].t_ms, vram_used_gib: Math.round(mib(2024) * 1000) / 1000, vram_total_gib: 140.401, source: 'nvidia-smi' });
    expect(samples[0]).not.toHaveProperty('simulated');
    // in call order: every sample saw 1 GiB more than the one before
    expect(samples.map((s) => Math.round(s.vram_used_gib - samples[0].vram_used_gib))).toEqual(samples.map((_, i) => i));
    expect(exec.calls[0]).toMatchObject({ file: 'nvidia-smi', args: expect.arrayContaining(['-i', '0']), timeoutMs: 2000 });
  });

  it('never two samples in flight when the tool is slower than the interval', async () => {
    let running = 0;
    let maxRunning = 0;
    const exec = fakeExec(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await sleep(100);
      running--;
      return h200(500);
    });
    const sampler = startSampler({ exec, tool: 'nvidia-smi', gpuIndex: 0, intervalMs: 20 });
    await sleep(450);
    const samples = await sampler.stop();
    expect(maxRunning).toBe(1);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.length).toBeLessThanOrEqual(5);
    // no burst to make up the missed slots: starts stay about one slow sample apart
    for (let i = 1; i < samples.length; i++) expect(samples[i].t_ms - samples[i - 1].t_ms).toBeGreaterThanOrEqual(90);
  });

  it('after one slow sample, the missed slots are skipped, not made up in a burst', async () => {
    const exec = fakeExec(async () => {
      if (exec.calls.length === 1) await sleep(250);
      return h200(500);
    });
    const sampler = startSampler({ exec, tool: 'nvidia-smi', gpuIndex: 0, intervalMs: 40 });
    await sleep(450);
    const samples = await sampler.stop();
    expect(samples.length).toBeGreaterThanOrEqual(3);
    expect(samples.length).toBeLessThanOrEqual(8);
    // the sample after the slow one starts as it ends; after that, an interval apart again
    expect(samples[1].t_ms - samples[0].t_ms).toBeGreaterThanOrEqual(240);
    const gaps = samples.slice(2).map((s, i) => s.t_ms - samples[i + 1].t_ms);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(37);
  });

  it('failed, timed-out, unreadable and rejected samples are skipped and counted', async () => {
    const answers = [
      () => h200(1024),
      () => exited(9, fixture('nvidia-smi-driver-failed.txt')),
      () => ({ code: null, stdout: '', stderr: '', error: 'timed out after 2000 ms' }),
      () => ok('0, NVIDIA GB10, [N/A], [N/A], 4, [N/A], 43'),
      () => ok('1, NVIDIA H200, 1, 143771, 0, 0, 0'), // another GPU than asked for
      () => Promise.reject(new Error('exec broke its promise')),
      () => h200(2048),
    ];
    let n = 0;
    const exec = fakeExec(() => (n < answers.length ? answers[n++]() : h200(3072)));
    const sampler = startSampler({ exec, tool: 'nvidia-smi', gpuIndex: 0, intervalMs: 20 });
    while (exec.calls.length < answers.length + 1) await sleep(10);
    const samples = await sampler.stop();
    expect(sampler.failures).toBe(5);
    expect(samples.slice(0, 2).map((s) => s.vram_used_gib)).toEqual([1, 2]);
    expect(samples.every((s, i) => i === 0 || s.t_ms > samples[i - 1].t_ms)).toBe(true);
    expect(samples.length).toBe(exec.calls.length - 5);
  });

  it('keeps the latest failure reason for the run log', async () => {
    const exec = fakeExec(() => exited(9, fixture('nvidia-smi-driver-failed.txt')));
    const sampler = startSampler({ exec, tool: 'nvidia-smi', gpuIndex: 0, intervalMs: 20 });
    await sleep(60);
    expect(await sampler.stop()).toEqual([]);
    expect(sampler.failures).toBeGreaterThanOrEqual(1);
    expect(sampler.lastFailure).toMatch(/^exited 9: NVIDIA-SMI has failed/);
  });

  it('stop() waits for the sample in flight, includes it, and no sample starts after', async () => {
    const exec = fakeExec(async () => {
      await sleep(150);
      return h200(4096);
    });
    const sampler = startSampler({ exec, tool: 'nvidia-smi', gpuIndex: 0, intervalMs: 30 });
    await sleep(40);
    const started = performance.now();
    const samples = await sampler.stop();
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
    expect(samples).toHaveLength(1);
    expect(samples[0].vram_used_gib).toBe(4);
    await sleep(100);
    expect(exec.calls).toHaveLength(1);
    expect(await sampler.stop()).toEqual(samples);
  });

  it('t_ms is measured on the injected clock; amd-smi and rocm-smi are asked their own way', async () => {
    let clock = 1_000_000;
    const now = () => clock;
    const amd = fakeExec(() => {
      clock += 250;
      return ok(fixture('amd-smi-mem-list.json'));
    });
    const a = startSampler({ exec: amd, tool: 'amd-smi', gpuIndex: 1, intervalMs: 20, now });
    await sleep(10);
    const [first] = await a.stop();
    expect(first).toEqual({ t_ms: 0, vram_used_gib: 0.276, vram_total_gib: 191.984, source: 'amd-smi' });
    expect(amd.calls[0].args).toEqual(['metric', '-g', '1', '--mem-usage', '--json']);

    const rocm = fakeExec(() => ok(fixture('rocm-smi-mi300x-2.json')));
    const r = startSampler({ exec: rocm, tool: 'rocm-smi', gpuIndex: 1, intervalMs: 20 });
    await sleep(10);
    expect((await r.stop())[0]).toMatchObject({ vram_used_gib: 0.277, vram_total_gib: 191.688, source: 'rocm-smi' });
    expect(rocm.calls[0].args.slice(0, 2)).toEqual(['-d', '1']);
  });
});

describe('readGpuMemory', () => {
  it('reads one GPU once', async () => {
    const exec = fakeExec(() => ok(fixture('nvidia-smi-4x-h100.csv')));
    expect(await readGpuMemory(exec, 'nvidia-smi', 1, { timeoutMs: 500 })).toEqual({ ok: true, memory: { vramUsedGiB: mib(71829), vramTotalGiB: mib(81559) } });
    expect(exec.calls[0].timeoutMs).toBe(500);
  });

  it('says why it could not', async () => {
    expect(await readGpuMemory(fakeExec(() => ok(fixture('nvidia-smi-4x-h100.csv'))), 'nvidia-smi', 7)).toEqual({ ok: false, reason: "GPU 7 is not in nvidia-smi's output" });
    expect(await readGpuMemory(fakeExec(() => ok(fixture('amd-smi-mem-not-reported.json'))), 'amd-smi', 0)).toEqual({ ok: false, reason: 'amd-smi does not report memory for GPU 0' });
    expect(await readGpuMemory(fakeExec(() => ok('garbage')), 'rocm-smi', 0)).toEqual({ ok: false, reason: 'reported no GPUs: garbage' });
    expect(await readGpuMemory(fakeExec(() => exited(9, '')), 'nvidia-smi', 0)).toEqual({ ok: false, reason: 'exited 9' });
  });
});
