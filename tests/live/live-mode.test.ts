import { describe, expect, it } from 'vitest';
import { agentLoop } from '../../server/agent/loop.js';
import { loadScenarios, type Scenario } from '../../server/agent/scenario.js';
import type { AgentResult, ExperimentResult, StepEvent } from '../../server/agent/types.js';
import { scenarioRunner } from '../../server/runner/scenario-runner.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';
import { binWith, liveWith } from './helpers.js';

const scenarios = loadScenarios();
const scenario = (id: string) => scenarios.find((s) => s.id === id)!;
const COSTS = { dollarsPerGpuHour: 1.99, manualDebugHours: 2, engineerDollarsPerHour: 75 };

async function runLoop(s: Scenario, run: ReturnType<typeof scenarioRunner>, params = s.params) {
  const loop = agentLoop(s, params, { taxonomy: builtinTaxonomy(), run, ...COSTS });
  const steps: StepEvent[] = [];
  for (;;) {
    const next = await loop.next();
    if (next.done) return { steps, result: next.value as AgentResult };
    steps.push(next.value);
  }
}

const FAKES = binWith('nvidia-smi', 'vllm');

describe('live mode on a machine with a GPU (fake nvidia-smi and vllm from tests/fixtures/live)', () => {
  it('runs the real program: vLLM start-up fails at 0.08, telemetry comes from nvidia-smi, the provenance names the GPU', async () => {
    const run = scenarioRunner(scenario('vllm-kv-cache'), { mode: 'live', live: liveWith(FAKES) });
    const failing = await run(scenario('vllm-kv-cache').params, 'failing');
    expect(failing.exitCode).toBe(1);
    expect(failing.command).toMatch(/^vllm serve Qwen\/Qwen2\.5-7B-Instruct --max-model-len 32768 --gpu-memory-utilization 0\.08 --host 127\.0\.0\.1 --port \d+$/);
    expect(failing.stderr).toContain('No available memory for the cache blocks');
    expect(failing.provenance).toMatchObject({ kind: 'live' });
    expect(failing.provenance.text).toMatch(/^recorded live on FAKE GPU for tests \(191\.7 GiB\), GPU memory from nvidia-smi/);
    expect(failing.simulatedMs).toBeNull();
    expect(failing.context).toEqual({ gpu: 'FAKE GPU for tests', gpu_total_gib: 191.69 });
    expect(failing.telemetry.length).toBeGreaterThan(0);
    expect(failing.telemetry[0]).toMatchObject({ vram_used_gib: 1, vram_total_gib: 191.688, source: 'nvidia-smi' });
    expect(failing.telemetry.every((s) => s.simulated === undefined)).toBe(true);
  }, 60_000);

  it('closes the loop live: the fix is computed from the live log and verified by starting the server again and benchmarking it', async () => {
    const s = scenario('vllm-kv-cache');
    const { steps, result } = await runLoop(s, scenarioRunner(s, { mode: 'live', live: liveWith(FAKES) }));
    expect(steps.map((e) => e.kind)).toEqual(['record', 'detect', 'match', 'diagnose', 'explain', 'plan', 'rerun', 'verify', 'report']);
    expect(result.diagnosis?.category).toBe('kv_cache_oom');
    expect(result.diagnosis?.fix?.changes.find((c) => c.param === 'gpu_memory_utilization')).toMatchObject({ from: 0.08, to: 0.1 });
    expect(result.verdict).toBe('recovered');
    const fixed = result.attempts.at(-1)!;
    expect(fixed.metrics).toMatchObject({ started: true, prompts_done: 4 });
    // the benchmark really ran over HTTP against the fake server (5000 tokens/s, minus overheads)
    expect(fixed.metrics.tokens_per_s as number).toBeGreaterThan(500);
    expect(fixed.metrics.kv_cache_tokens as number).toBeGreaterThanOrEqual(32768);
    // cost from measured durations: no simulated clock in a live run
    expect(steps.at(-1)!.summary).not.toContain('simulated clock');
  }, 120_000);

  it('the load scenario live: the budget is computed from the rate measured against the server', async () => {
    const s = scenario('load-timeout');
    // 512 tokens per prompt at 5120 tokens/s: 0.1 s a prompt, 20 prompts ≈ 2 s against a 1 s budget
    const { result } = await runLoop(s, scenarioRunner(s, { mode: 'live', live: liveWith(FAKES, { FAKE_TOKENS_PER_S: '5120' }) }), { ...s.params, budget_s: 1 });
    const failing = result.diagnosis!;
    expect(failing.category).toBe('timeout');
    const change = failing.fix!.changes.find((c) => c.param === 'budget_s')!;
    expect(change.from).toBe(1);
    expect(change.to as number).toBeGreaterThanOrEqual(2);
    expect(change.to as number).toBeLessThanOrEqual(5);
    expect(result.verdict).toBe('recovered');
    expect(result.attempts.at(-1)!.metrics).toMatchObject({ items_done: 20, within_budget: true });
  }, 120_000);

  it('a GPU but no vllm on PATH: the simulator runs and the provenance says why', async () => {
    const run = scenarioRunner(scenario('vllm-max-model-len'), { mode: 'live', live: liveWith(binWith('nvidia-smi')), timeScale: 0 });
    const r = await run(scenario('vllm-max-model-len').params, 'failing');
    expect(r.provenance.kind).toBe('simulated');
    expect(r.provenance.text).toMatch(/live mode: vllm is not installed \(not on PATH\), so the simulator ran$/);
  }, 60_000);

  it('no GPU: the simulator runs and the provenance lists what was tried', async () => {
    const run = scenarioRunner(scenario('vllm-max-model-len'), { mode: 'live', live: liveWith(binWith('vllm'), {}, ''), timeScale: 0 });
    const r = await run(scenario('vllm-max-model-len').params, 'failing');
    expect(r.provenance.kind).toBe('simulated');
    expect(r.provenance.text).toContain('live mode: no GPU');
    expect(r.provenance.text).toMatch(/nvidia-smi[^;]*not found/);
  }, 60_000);

  it('stopping a live run kills the server it started, promptly', async () => {
    const controller = new AbortController();
    // an hour of tokens per request: the benchmark would never end by itself
    const run = scenarioRunner(scenario('vllm-max-model-len'), { mode: 'live', live: liveWith(FAKES, { FAKE_TOKENS_PER_S: '0.07' }), signal: controller.signal });
    const lines: string[] = [];
    const started = performance.now();
    const pending = run({ ...scenario('vllm-max-model-len').params, max_model_len: 32768 }, 'fixed');
    setTimeout(() => controller.abort(), 4000);
    const r: ExperimentResult = await pending;
    lines.push(...r.stderr.split('\n'));
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(r.metrics.started).toBe(true);
    expect(lines.some((l) => l.includes('Shutting down'))).toBe(true);
  }, 60_000);
});
