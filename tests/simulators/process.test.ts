import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SIMULATOR_ENTRIES } from '../../server/runner/simulators/index.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'replaylab-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a simulator the way the runner will: a real child process, `node --import tsx FILE`. */
function spawnSim(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - start }));
  });
}

const PROVENANCE = /^\[replaylab-simulator\] [\w-]+ v1: simulated on CPU, .+ \(not a GPU run\)$/;

describe('simulators as real processes', () => {
  it('vllm-startup at utilisation 0.08 exits 1, provenance first, telemetry written', async () => {
    const telemetry = join(dir, 'kv.jsonl');
    const r = await spawnSim(SIMULATOR_ENTRIES.vllmStartup, ['serve', 'Qwen/Qwen2.5-7B-Instruct', '--max-model-len', '32768', '--gpu-memory-utilization', '0.08', '--telemetry', telemetry]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(PROVENANCE);
    expect(lines[0]).toContain('vllm-startup v1: simulated on CPU, figures from published AMD MI300X measurements');
    expect(r.stderr).toContain('Available KV cache memory: -1.84 GiB');
    expect(lines[lines.length - 1]).toMatch(/RuntimeError: Engine core initialization failed\. See root cause above\.$/);
    const samples = readFileSync(telemetry, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(samples.length).toBeGreaterThan(5);
    expect(samples.every((s) => s.simulated === true && typeof s.t_ms === 'number' && s.vram_total_gib === 191.69)).toBe(true);
    expect(Math.max(...samples.map((s) => s.vram_used_gib))).toBeCloseTo(17.18, 2); // weights + profiling peak
  });

  it('vllm-startup at 0.10 exits 0 with the metrics JSON last on stdout, taking scaled real time', async () => {
    const r = await spawnSim(SIMULATOR_ENTRIES.vllmStartup, ['serve', 'Qwen/Qwen2.5-7B-Instruct', '--max-model-len', '32768', '--gpu-memory-utilization', '0.10', '--time-scale', '0.01']);
    expect(r.code).toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(PROVENANCE);
    const out = r.stdout.trim().split('\n');
    expect(JSON.parse(out[out.length - 1])).toMatchObject({ started: true, simulated: true, gpu_memory_utilization: 0.1 });
    // ~35 simulated seconds (cold load 8.42 s, compile 16.28 s, 4 requests) at x0.01
    expect(r.ms).toBeGreaterThan(300);
  });

  it('vllm-startup at 65536 exits 1 with the validation error', async () => {
    const r = await spawnSim(SIMULATOR_ENTRIES.vllmStartup, ['serve', 'Qwen/Qwen2.5-7B-Instruct', '--max-model-len', '65536', '--gpu-memory-utilization', '0.99']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('User-specified max_model_len (65536) is greater than the derived max_model_len');
  });

  it('train-step at batch 64 exits 1 with the OOM; at 32 x 2 exits 0', async () => {
    const bad = await spawnSim(SIMULATOR_ENTRIES.trainStep, ['--batch-size', '64']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.split('\n')[0]).toMatch(PROVENANCE);
    expect(bad.stderr).toContain('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 4.00 GiB.');
    const good = await spawnSim(SIMULATOR_ENTRIES.trainStep, ['--batch-size', '32', '--gradient-accumulation-steps', '2']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout.trim().split('\n').pop()!)).toMatchObject({ effective_batch: 64, simulated: true });
  });

  it('load-run exits 124 on overrun after the summary line, and takes ~30.6 s x scale', async () => {
    const r = await spawnSim(SIMULATOR_ENTRIES.loadRun, ['--prompts', '20', '--budget-s', '30', '--time-scale', '0.01']);
    expect(r.code).toBe(124);
    expect(r.stderr.split('\n')[0]).toMatch(PROVENANCE);
    expect(r.stderr).toContain('benchmark: completed 13/20 in 30.6 s (budget 30 s)\n');
    expect(r.stderr.trimEnd().endsWith('TimeoutError: benchmark exceeded its time budget of 30 s')).toBe(true);
    expect(r.ms).toBeGreaterThan(300);
  });

  it('a bad flag exits 2 with argparse wording, provenance still first', async () => {
    const r = await spawnSim(SIMULATOR_ENTRIES.loadRun, ['--budget-s', 'soon']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toMatch(PROVENANCE);
    expect(r.stderr).toContain("bench.py: error: argument --budget-s: invalid float value: 'soon'");
  });
});
