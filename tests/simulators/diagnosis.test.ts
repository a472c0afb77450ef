import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import { simulateLoadRun, simulateTrainStep, simulateVllmStartup } from '../../server/runner/simulators/index.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

/** The project's diagnosis reads the simulators' logs (both streams) as it reads a real capture. */
const diagnose = (r: { stdout: string[]; stderr: string[] }, config?: unknown) => diagnoseText(builtinTaxonomy(), [...r.stderr, ...r.stdout].join('\n'), config);
const change = (d: ReturnType<typeof diagnose>, param: string) => d.fix?.changes.find((c) => c.param === param);
const QWEN = 'Qwen/Qwen2.5-7B-Instruct';

describe('the diagnosis recognises the simulators\' output, and its fix verifies by re-running', () => {
  it('utilisation 0.08: kv_cache_oom, gpu_memory_utilization 0.08 → 0.1, which starts', () => {
    const d = diagnose(simulateVllmStartup({ model: QWEN, maxModelLen: 32768, gpuMemoryUtilization: 0.08 }),
      { model: QWEN, gpu: 'AMD Instinct MI300X', gpu_memory_utilization: 0.08, max_model_len: 32768 });
    expect(d.category).toBe('kv_cache_oom');
    const c = change(d, 'gpu_memory_utilization')!;
    expect(c).toMatchObject({ from: 0.08 });
    expect(c.to).toBeGreaterThanOrEqual(0.1);
    expect(c.to).toBeLessThanOrEqual(0.11);
    const rerun = simulateVllmStartup({ model: QWEN, maxModelLen: 32768, gpuMemoryUtilization: c.to as number });
    expect(rerun.exitCode).toBe(0);
  });

  it('max_model_len 65536: context_length_exceeded, max_model_len → 32768, which starts', () => {
    const d = diagnose(simulateVllmStartup({ model: QWEN, maxModelLen: 65536, gpuMemoryUtilization: 0.99 }));
    expect(d.category).toBe('context_length_exceeded');
    expect(change(d, 'max_model_len')).toMatchObject({ from: 65536, to: 32768 });
    expect(simulateVllmStartup({ model: QWEN, maxModelLen: 32768, gpuMemoryUtilization: 0.99 }).exitCode).toBe(0);
  });

  it('a KV cache smaller than one sequence: kv_cache_oom with the estimated max_model_len, which starts', () => {
    const d = diagnose(simulateVllmStartup({ model: QWEN, maxModelLen: 32768, gpuMemoryUtilization: 0.095 }));
    expect(d.category).toBe('kv_cache_oom');
    const c = change(d, 'max_model_len')!;
    expect(simulateVllmStartup({ model: QWEN, maxModelLen: c.to as number, gpuMemoryUtilization: 0.095 }).exitCode).toBe(0);
  });

  it('batch 64: batch_too_large_runtime, batch_size → 32 with accumulation 2, which fits', () => {
    const d = diagnose(simulateTrainStep({ batchSize: 64 }), 'python train.py --batch-size 64');
    expect(d.category).toBe('batch_too_large_runtime');
    expect(change(d, 'batch_size')).toMatchObject({ from: 64, to: 32 });
    const accum = change(d, 'gradient_accumulation_steps')!;
    expect(accum).toMatchObject({ from: 1, to: 2 });
    const rerun = simulateTrainStep({ batchSize: 32, gradientAccumulationSteps: accum.to as number });
    expect(rerun.exitCode).toBe(0);
    expect(rerun.metrics.effective_batch).toBe(64);
  });

  it('the load run: timeout, with a budget and a load computed from the measured rate, both of which pass', () => {
    const d = diagnose(simulateLoadRun());
    expect(d.category).toBe('timeout');
    expect(d.facts).toMatchObject({ items_done: 13, items_total: 20, elapsed_s: 30.6, time_budget_s: 30 });
    const budget = change(d, 'time_budget_s')!;
    expect(simulateLoadRun({ budgetS: budget.to as number }).exitCode).toBe(0);
    const items = change(d, 'items')!;
    expect(simulateLoadRun({ prompts: items.to as number }).exitCode).toBe(0);
  });

  it('successful runs read as no_failure', () => {
    expect(diagnose(simulateVllmStartup({ model: QWEN, maxModelLen: 32768, gpuMemoryUtilization: 0.9 })).category).toBe('no_failure');
    expect(diagnose(simulateTrainStep({ batchSize: 32, gradientAccumulationSteps: 2 })).category).toBe('no_failure');
    expect(diagnose(simulateLoadRun({ concurrency: 4 })).category).toBe('no_failure');
  });
});
