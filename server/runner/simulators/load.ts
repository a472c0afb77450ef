import { COMMON_FLAGS, numFlag, parseFlags, provenanceLine, round, runOptions, Timeline, usageFailure, UsageError, type RunOptions, type SimResult } from './common.js';
import { GIB, MI300X } from './vllm-figures.js';

/** A benchmark client sending heavy prompts to a server under a time budget. */
export interface LoadParams {
  prompts: number;
  budgetS: number;
  concurrency: number;
  /** one prompt's service time when it runs alone */
  secondsPerPrompt: number;
}

export interface LoadMetrics {
  items_done: number;
  items_total: number;
  elapsed_s: number;
  budget_s: number;
  concurrency: number;
  within_budget: boolean;
  simulated: true;
}

/** 2.35 s per prompt, one at a time, reproduces the published timeout run: 12 prompts end at
 * 28.2 s (inside the 30 s budget), the 13th at 30.55 s, when the client checks its budget and
 * stops: "completed 13/20 in 30.6 s". */
export const LOAD_DEFAULTS: LoadParams = { prompts: 20, budgetS: 30, concurrency: 1, secondsPerPrompt: 2.35 };

export const LOAD_PROVENANCE = provenanceLine('load-run', 'timing from the published AMD MI300X timeout run (20 prompts, 30 s budget, 13 done in 30.6 s) and concurrency sweep');
const LOAD_USAGE = 'bench.py [--prompts 20] [--budget-s 30] [--concurrency 1] [--seconds-per-prompt 2.35] [--time-scale S] [--telemetry FILE]';

/** Aggregate speed-up over one stream, from the published MI300X concurrency sweep (222.9 /
 * 414.8 / 758.6 / 1,514.2 / 2,930.9 tokens/s at 1/2/4/8/16 streams); linear in between, and no
 * further gain past 16 streams (not measured, so assume the server is saturated). */
const SWEEP: [number, number][] = [[1, 222.92], [2, 414.84], [4, 758.64], [8, 1514.15], [16, 2930.86]];
export function speedup(concurrency: number): number {
  const c = Math.min(concurrency, 16);
  for (let i = 1; i < SWEEP.length; i++) {
    const [c0, r0] = SWEEP[i - 1];
    const [c1, r1] = SWEEP[i];
    if (c <= c1) return (r0 + ((r1 - r0) * (c - c0)) / (c1 - c0)) / SWEEP[0][1];
  }
  return SWEEP[SWEEP.length - 1][1] / SWEEP[0][1];
}

/** The vLLM server pre-allocates its budget, so rocm-smi's "used" stays flat under load: the
 * published reading during the benchmark was 187,005,718,528 B. */
const VRAM_USED_GIB = 187_005_718_528 / GIB;

const fmtS = (s: number) => String(round(s, 1));

export function simulateLoadRun(input: Partial<LoadParams> = {}): SimResult<LoadMetrics> {
  const p: LoadParams = { ...LOAD_DEFAULTS, ...input };
  const t = new Timeline(MI300X.bytes / GIB);
  // with c streams sharing the GPU each prompt takes c / speedup(c) times as long as alone
  const latency = (p.secondsPerPrompt * p.concurrency) / speedup(p.concurrency);
  t.err(LOAD_PROVENANCE).sample(VRAM_USED_GIB);
  t.err(`INFO bench.py: ${p.prompts} prompts, concurrency ${p.concurrency}, time budget ${fmtS(p.budgetS)} s`);

  // Equal prompts on c slots finish in waves: prompt i ends at (floor(i / c) + 1) x latency.
  // The client checks its budget after each completion, so the run can end past the budget.
  const c = Math.min(p.concurrency, p.prompts);
  const horizon = Math.min(Math.ceil(p.prompts / c) * latency, p.budgetS + latency);
  const every = Math.max(1, Math.ceil(horizon / 300)); // at most ~300 telemetry samples
  let done = 0;
  let elapsed = 0;
  let nextSample = every;
  for (let i = 0; i < p.prompts; i++) {
    const end = (Math.floor(i / c) + 1) * latency;
    while (nextSample < end) { t.wait(nextSample - t.ms / 1000).sample(VRAM_USED_GIB); nextSample += every; }
    t.wait(end - t.ms / 1000);
    done += 1;
    elapsed = end;
    t.out(`prompt ${done}/${p.prompts} done in ${latency.toFixed(2)} s (elapsed ${elapsed.toFixed(2)} s)`);
    if (elapsed > p.budgetS) break;
  }
  const within = elapsed <= p.budgetS;
  const metrics: LoadMetrics = {
    items_done: done, items_total: p.prompts, elapsed_s: round(elapsed, 2), budget_s: p.budgetS, concurrency: p.concurrency, within_budget: within, simulated: true,
  };
  t.sample(VRAM_USED_GIB);
  t.err(`benchmark: completed ${done}/${p.prompts} in ${fmtS(elapsed)} s (budget ${fmtS(p.budgetS)} s)`);
  if (!within) {
    t.err(
      'Traceback (most recent call last):',
      '  File "/workspace/bench.py", line 64, in <module>',
      '    asyncio.run(main())',
      '  File "/usr/lib/python3.12/asyncio/runners.py", line 194, in run',
      '    return runner.run(main)',
      '  File "/workspace/bench.py", line 58, in main',
      '    await run_benchmark(args)',
      '  File "/workspace/bench.py", line 49, in run_benchmark',
      '    raise TimeoutError(f"benchmark exceeded its time budget of {args.budget_s} s")',
      `TimeoutError: benchmark exceeded its time budget of ${fmtS(p.budgetS)} s`,
    );
    return t.finish(124, metrics); // 124: GNU timeout's status, what harnesses use for "ran out of time"
  }
  t.out(JSON.stringify(metrics));
  return t.finish(0, metrics);
}

const FLAGS = { ...COMMON_FLAGS, prompts: 'value', 'budget-s': 'value', concurrency: 'value', 'seconds-per-prompt': 'value' } as const;

export function loadRunFromArgv(argv: string[]): { result: SimResult<LoadMetrics>; options: RunOptions } {
  try {
    const f = parseFlags(argv, FLAGS);
    if (f.positionals.length) throw new UsageError(`unrecognized arguments: ${f.positionals.join(' ')}`);
    const d = LOAD_DEFAULTS;
    const result = simulateLoadRun({
      prompts: numFlag(f, 'prompts', d.prompts, { int: true, min: 1, max: 100_000 }),
      budgetS: numFlag(f, 'budget-s', d.budgetS, { min: 0, exclusiveMin: true }),
      concurrency: numFlag(f, 'concurrency', d.concurrency, { int: true, min: 1, max: 1024 }),
      secondsPerPrompt: numFlag(f, 'seconds-per-prompt', d.secondsPerPrompt, { min: 0, exclusiveMin: true }),
    });
    return { result, options: runOptions(f) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const metrics: LoadMetrics = { items_done: 0, items_total: 0, elapsed_s: 0, budget_s: 0, concurrency: 0, within_budget: false, simulated: true };
    return { result: usageFailure(LOAD_PROVENANCE, LOAD_USAGE, 'bench.py', e, metrics), options: { timeScale: 0 } };
  }
}
