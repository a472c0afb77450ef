import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../server/agent/scenario.js';
import { exitStatus } from '../../server/runner/live/child.js';
import { findCachedModel } from '../../server/runner/live/environment.js';
import { checkLiveParams, liveProcessEnv } from '../../server/runner/live/live-runner.js';
import { visibleGpu } from '../../server/runner/live/visible-gpu.js';
import { scenarioRunner } from '../../server/runner/scenario-runner.js';
import { binWith, fakeHfCache, liveWith } from './helpers.js';

const scenario = (id: string) => loadScenarios().find((s) => s.id === id)!;
const GPUS = [{ index: 0, name: 'GPU zero', vramTotalGiB: 80 }, { index: 1, name: 'GPU one', vramTotalGiB: 40 }];

describe('what a live program may be given', () => {
  it('numbers for numeric params, the scenario’s own value for the rest — never a string a fix made up', () => {
    const s = scenario('vllm-kv-cache');
    expect(checkLiveParams(s, { ...s.params, gpu_memory_utilization: 0.1 })).toBeNull();
    expect(checkLiveParams(s, { ...s.params, model: '--trust-remote-code' })).toMatch(/param model="--trust-remote-code" is not one a live run takes/);
    expect(checkLiveParams(s, { ...s.params, max_model_len: '32768 --x' })).toMatch(/max_model_len/);
    expect(checkLiveParams(s, { ...s.params, max_num_seqs: 8 })).toBeNull(); // a numeric knob a fix may add
  });

  it('the environment: no LLM credentials, nothing downloaded, devices in nvidia-smi’s order', () => {
    const env = liveProcessEnv({ PATH: '/bin', LLM_API_KEY: 'sk-secret', LLM_BASE_URL: 'http://x', HF_TOKEN: 'hf_x' });
    expect(env).toMatchObject({ PATH: '/bin', HF_HUB_OFFLINE: '1', CUDA_DEVICE_ORDER: 'PCI_BUS_ID', VLLM_NO_USAGE_STATS: '1' });
    expect(env.LLM_API_KEY).toBeUndefined();
    expect(env.LLM_BASE_URL).toBeUndefined();
    expect(liveProcessEnv({ HF_HUB_OFFLINE: '0' }).HF_HUB_OFFLINE).toBe('0');
  });

  it('the card the program uses: the first visible device, or a guess (without its memory) for a UUID or MIG slice', () => {
    expect(visibleGpu(GPUS, {})).toEqual({ gpu: GPUS[0], exact: true });
    expect(visibleGpu(GPUS, { CUDA_VISIBLE_DEVICES: '1,0' })).toEqual({ gpu: GPUS[1], exact: true });
    expect(visibleGpu(GPUS, { HIP_VISIBLE_DEVICES: '1' })).toEqual({ gpu: GPUS[1], exact: true });
    expect(visibleGpu(GPUS, { CUDA_VISIBLE_DEVICES: 'MIG-4f1c2b9e-0000' })).toEqual({ gpu: GPUS[0], exact: false });
  });

  it('exit statuses as a shell reports them: a signal is 128 + its number', () => {
    expect(exitStatus({ code: 1, signal: null })).toBe(1);
    expect(exitStatus({ code: null, signal: 'SIGKILL' })).toBe(137);
    expect(exitStatus({ code: null, signal: 'SIGINT' })).toBe(130);
  });

  it('finds a model in the Hugging Face cache (HF_HUB_CACHE, HF_HOME) or on disk, and nothing else', () => {
    const hub = fakeHfCache();
    expect(findCachedModel('Qwen/Qwen2.5-7B-Instruct', { HF_HUB_CACHE: hub })).toMatch(/snapshots\/0123abc$/);
    expect(findCachedModel('Qwen/Qwen2.5-72B-Instruct', { HF_HUB_CACHE: hub })).toBeNull();
    expect(findCachedModel('Qwen/Qwen2.5-7B-Instruct', { HF_HOME: mkdtempSync(join(tmpdir(), 'hf-')) })).toBeNull();
  });
});

describe('live mode falls back to the simulator, saying why', () => {
  it('when the model is not in the local cache (live runs download nothing)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'replaylab-hf-empty-'));
    const s = scenario('vllm-kv-cache');
    const r = await scenarioRunner(s, { mode: 'live', live: liveWith(binWith('nvidia-smi', 'vllm'), { HF_HUB_CACHE: empty }), timeScale: 0 })(s.params, 'failing');
    expect(r.provenance.kind).toBe('simulated');
    expect(r.provenance.text).toContain('live mode: Qwen/Qwen2.5-7B-Instruct is not in the local Hugging Face cache');
  }, 60_000);

  it('decided once per loop: a loop that started live stays live, even when the GPU fills up meanwhile', async () => {
    const live = liveWith(binWith('nvidia-smi', 'vllm'));
    const s = scenario('vllm-kv-cache');
    const run = scenarioRunner(s, { mode: 'live', live, timeScale: 0 });
    expect((await run(s.params, 'failing')).provenance.kind).toBe('live');
    live.maxPending = 0; // as if four other runs were queued now
    const fixed = await run({ ...s.params, gpu_memory_utilization: 0.1 }, 'fixed');
    expect(fixed.provenance.kind).toBe('live');
    expect(fixed.exitCode).toBe(0);
  }, 60_000);

  it('when the GPU already has its fill of live runs running or waiting', async () => {
    const live = { ...liveWith(binWith('nvidia-smi', 'vllm')), maxPending: 0 };
    const s = scenario('vllm-kv-cache');
    const r = await scenarioRunner(s, { mode: 'live', live, timeScale: 0 })(s.params, 'failing');
    expect(r.provenance.kind).toBe('simulated');
    expect(r.provenance.text).toContain('live mode: the GPU is busy (0 live runs running or waiting)');
  }, 60_000);
});
