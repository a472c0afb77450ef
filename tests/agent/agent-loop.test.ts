import { describe, expect, it } from 'vitest';
import { agentLoop, type AgentDeps } from '../../server/agent/loop.js';
import { loadScenarios } from '../../server/agent/scenario.js';
import { STEP_KINDS, type AgentResult, type ExperimentResult, type Params, type StepEvent } from '../../server/agent/types.js';
import { runSimulator } from '../../server/runner/simulator-runner.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

// The loop over the real CPU simulators (child processes): every scenario fails, is diagnosed,
// fixed with computed values, re-run and verified against its baseline.
const tax = builtinTaxonomy();
const scenarios = loadScenarios();
const byId = (id: string) => scenarios.find((s) => s.id === id)!;

async function drive(id: string, run?: AgentDeps['run']): Promise<{ events: StepEvent[]; result: AgentResult }> {
  const scenario = byId(id);
  const deps: AgentDeps = {
    taxonomy: tax,
    run: run ?? ((p, label) => runSimulator(scenario, p, label, { timeScale: 0.002 })),
    dollarsPerGpuHour: 1.99, manualDebugHours: 2, engineerDollarsPerHour: 75,
  };
  const gen = agentLoop(scenario, scenario.params, deps);
  const events: StepEvent[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { events, result: r.value };
    events.push(r.value);
  }
}
const fixOf = (r: AgentResult) => Object.fromEntries(r.attempts.at(-1)!.params ? Object.entries(r.attempts.at(-1)!.params) : []);

describe('agent loop over the CPU simulators', () => {
  it.each([
    ['vllm-max-model-len', 'context_length_exceeded', { max_model_len: 32768 }],
    ['train-batch-64', 'batch_too_large_runtime', { batch_size: 32, gradient_accumulation_steps: 2 }],
    ['load-timeout', 'timeout', { budget_s: 52 }],
    ['vllm-kv-cache', 'kv_cache_oom', { gpu_memory_utilization: 0.1 }],
  ])('%s: fails, is diagnosed as %s, re-runs with %o and recovers', async (id, category, fixed) => {
    const { events, result } = await drive(id);
    expect(events.map((e) => e.kind)).toEqual([...STEP_KINDS]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events[1].status).toBe('failed');
    expect(result.diagnosis!.category).toBe(category);
    expect(fixOf(result)).toMatchObject(fixed);
    expect(result.verdict).toBe('recovered');
    expect(result.verification!.checks.every((c) => c.ok)).toBe(true);
    expect(events[4]).toMatchObject({ kind: 'explain', status: 'skipped' });
    // honest provenance on every recording
    for (const run of [...result.attempts, result.baseline!]) expect(run.provenance.kind).toBe('simulated');
  }, 60_000);

  it('says what the fix gave up', async () => {
    const { result } = await drive('vllm-max-model-len');
    expect(result.verification!.gaveUp).toContainEqual({ param: 'max_model_len', from: 65536, to: 32768 });
  }, 60_000);

  it('computes the cost from the runs it made and the stated rates, not a constant', async () => {
    const { result } = await drive('train-batch-64');
    const runs = [...result.attempts, result.baseline!];
    expect(result.cost!.gpuSeconds).toBeGreaterThan(0);
    expect(result.cost!.dollars).toBeCloseTo((result.cost!.gpuSeconds / 3600) * 1.99, 3);
    expect(runs.every((r) => (r.simulatedMs ?? 0) > 0)).toBe(true);
  }, 60_000);

  it('re-runs deterministic failures only with a change, and stops after the attempt cap', async () => {
    const scenario = byId('train-batch-64');
    let calls = 0;
    const alwaysFails = async (p: Params, label: ExperimentResult['label']): Promise<ExperimentResult> => {
      calls++;
      const real = await runSimulator(scenario, { ...p, batch_size: 64 }, label, { timeScale: 0.002 });
      return { ...real, params: p };
    };
    const { events, result } = await drive('train-batch-64', alwaysFails);
    expect(events.find((e) => e.kind === 'rerun')!.status).toBe('failed');
    expect(result.verdict).toBe('not_recovered');
    expect(result.attempts.length).toBeLessThanOrEqual(3);
    expect(calls).toBeLessThanOrEqual(1 + 3 + 1); // failing + attempts + baseline
  }, 60_000);

  it('a run that does not fail is reported as such, with nothing re-run', async () => {
    const scenario = byId('train-batch-64');
    const healthy = (p: Params, label: ExperimentResult['label']) => runSimulator(scenario, { ...p, batch_size: 8 }, label, { timeScale: 0.002 });
    const { events, result } = await drive('train-batch-64', healthy);
    expect(result.verdict).toBe('no_failure');
    expect(events.filter((e) => e.status === 'skipped').map((e) => e.kind)).toEqual(['explain', 'plan', 'rerun', 'verify']);
  }, 60_000);
});
