import { describe, expect, it } from 'vitest';
import { loadRunFromArgv, simulateLoadRun, speedup } from '../../server/runner/simulators/index.js';

describe('load-run: the published timeout (20 heavy prompts, 30 s budget)', () => {
  it('completes 13 of 20 in 30.6 s and exits 124 with a TimeoutError after the summary', () => {
    const r = simulateLoadRun();
    expect(r.exitCode).toBe(124);
    expect(r.metrics).toMatchObject({ items_done: 13, items_total: 20, elapsed_s: 30.55, budget_s: 30, within_budget: false, simulated: true });
    const summary = r.stderr.findIndex((l) => l === 'benchmark: completed 13/20 in 30.6 s (budget 30 s)');
    expect(summary).toBeGreaterThan(0);
    expect(r.stderr[r.stderr.length - 1]).toBe('TimeoutError: benchmark exceeded its time budget of 30 s');
    expect(r.stdout.filter((l) => /^prompt \d+\/20 done in 2\.35 s/.test(l))).toHaveLength(13);
    expect(r.stdout.some((l) => l.startsWith('{'))).toBe(false);
  });

  it('the fixes the numbers suggest finish within budget', () => {
    // 13 / 30.55 s = 0.4255 prompts/s: 20 prompts take 47 s
    const longer = simulateLoadRun({ budgetS: 52 });
    expect(longer.exitCode).toBe(0);
    expect(longer.metrics).toMatchObject({ items_done: 20, elapsed_s: 47, within_budget: true });
    expect(JSON.parse(longer.stdout[longer.stdout.length - 1])).toEqual({ items_done: 20, items_total: 20, elapsed_s: 47, budget_s: 52, concurrency: 1, within_budget: true, simulated: true });
    expect(simulateLoadRun({ prompts: 11 }).exitCode).toBe(0);
    expect(simulateLoadRun({ prompts: 12 }).exitCode).toBe(0); // 28.2 s
    expect(simulateLoadRun({ prompts: 13 }).exitCode).toBe(124); // 30.55 s
    // four streams: x3.40 aggregate in the published sweep, so 5 waves of 2.76 s
    const wide = simulateLoadRun({ concurrency: 4 });
    expect(wide.exitCode).toBe(0);
    expect(wide.metrics.elapsed_s).toBeCloseTo(13.81, 1);
  });

  it('scales with the published concurrency sweep', () => {
    expect(speedup(1)).toBe(1);
    expect(speedup(4)).toBeCloseTo(758.64 / 222.92, 6);
    expect(speedup(16)).toBeCloseTo(2930.86 / 222.92, 6);
    expect(speedup(64)).toBe(speedup(16));
    expect(speedup(3)).toBeGreaterThan(speedup(2));
  });

  it('telemetry is the flat pre-allocated VRAM rocm-smi showed (174.16 GiB), labelled simulated', () => {
    const r = simulateLoadRun();
    expect(r.telemetry.length).toBeGreaterThan(25);
    expect(r.telemetry.every((s) => s.vram_used_gib === 174.16 && s.vram_total_gib === 191.69 && s.simulated)).toBe(true);
  });

  it('takes its flags; a bad one exits 2', () => {
    expect(loadRunFromArgv(['--prompts', '20', '--budget-s', '30', '--concurrency', '4']).result.exitCode).toBe(0);
    expect(loadRunFromArgv(['--prompts', '20', '--budget-s', '30']).result.exitCode).toBe(124);
    expect(loadRunFromArgv(['--concurrency', '0']).result.exitCode).toBe(2);
  });
});
