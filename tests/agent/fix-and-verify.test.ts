import { describe, expect, it } from 'vitest';
import { applyFix } from '../../server/agent/apply-fix.js';
import { loadScenarios } from '../../server/agent/scenario.js';
import type { ExperimentResult } from '../../server/agent/types.js';
import { verify } from '../../server/agent/verify.js';
import { displayCommand, simulatorArgs } from '../../server/runner/simulator-runner.js';

const scenarios = loadScenarios();
const vllm = scenarios.find((s) => s.id === 'vllm-max-model-len')!;
const change = (param: string, to: number | string, alternative?: boolean) => ({ param, from: null, to, why: '', alternative });
const run = (metrics: Record<string, unknown>, exitCode = 0, params = vllm.params): ExperimentResult => ({
  label: 'fixed', command: '', params, exitCode, timedOut: false, durationMs: 1, simulatedMs: 1, stdout: '', stderr: '', metrics, telemetry: [], provenance: { kind: 'simulated', text: '' },
});

describe('scenarios', () => {
  it('load from scenarios/ with the four demo scenarios, each naming a simulator and no free command', () => {
    expect(scenarios.map((s) => s.id).sort()).toEqual(['load-timeout', 'train-batch-64', 'vllm-kv-cache', 'vllm-max-model-len']);
  });

  it('turn params into the tool-style flags the simulator takes, and a display command', () => {
    expect(simulatorArgs(vllm, { ...vllm.params, max_model_len: 32768 })).toEqual(['serve', 'Qwen/Qwen2.5-7B-Instruct', '--max-model-len', '32768', '--gpu-memory-utilization', '0.99', '--gpu', 'MI300X']);
    expect(displayCommand(vllm, { ...vllm.params, max_model_len: 32768 })).toBe('vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 32768 --gpu-memory-utilization 0.99');
  });
});

describe('applying a fix', () => {
  it('changes only params the experiment takes, with concrete values, skipping alternatives', () => {
    const r = applyFix({ prompts: 20, budget_s: 30 }, { summary: '', env: {}, command: null, changes: [change('time_budget_s', 52), change('items', 11, true), change('learning_rate', 0.1), change('batch_size', 'x0.5 of the current')] });
    expect(r.params).toEqual({ prompts: 20, budget_s: 52 });
    expect(r.applied).toEqual(['budget_s: 30 → 52']);
  });
});

describe('verification', () => {
  it('is recovered only when the re-run exits 0 and every check holds', () => {
    const baseline = run({ tokens_per_s: 227, started: true });
    expect(verify(vllm, run({ started: true, tokens_per_s: 220 }, 0, { ...vllm.params, max_model_len: 32768 }), baseline, vllm.params).recovered).toBe(true);
    expect(verify(vllm, run({ started: true, tokens_per_s: 150 }), baseline, vllm.params).recovered).toBe(false);
    expect(verify(vllm, run({ started: true, tokens_per_s: 227 }, 1), baseline, vllm.params).recovered).toBe(false);
  });
});
