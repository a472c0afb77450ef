import type { TelemetrySample } from '../agent/types.js';
import type { Exec } from './exec.js';
import { DEFAULT_READ_TIMEOUT_MS, readGpuMemory } from './read-gpus.js';
import type { GpuTool } from './readings.js';

export interface SamplerOptions {
  exec: Exec;
  /** the tool detectGpu found; samples carry it as `source` */
  tool: GpuTool;
  gpuIndex: number;
  /** time between sample starts (default 500 ms) */
  intervalMs?: number;
  /** per sample (default 2000 ms); a sample that takes longer is skipped and counted */
  timeoutMs?: number;
  /** the clock, in ms (default performance.now); t_ms is measured on it from startSampler */
  now?: () => number;
}

export interface Sampler {
  /** stops sampling, waits for a sample in flight, and returns every sample in time order */
  stop(): Promise<TelemetrySample[]>;
  /** the samples so far (a copy) */
  readonly samples: TelemetrySample[];
  /** samples that failed or timed out and were skipped */
  readonly failures: number;
  /** why the latest failed sample failed, for a warning in the run's log */
  readonly lastFailure: string | undefined;
}

/** Samples one GPU's memory with its vendor tool while an experiment runs. The first sample is
 * taken at once (the memory before the run), then one every interval. Never two in flight: a
 * wedged driver would otherwise pile up nvidia-smi processes. A sample slower than the interval
 * delays the next one, which then starts as soon as the slow one ends; missed intervals are not
 * made up in a burst. A failed sample is skipped and counted, never thrown: telemetry must not
 * break the run it watches. */
export function startSampler(opts: SamplerOptions): Sampler {
  const { exec, tool, gpuIndex } = opts;
  const intervalMs = Math.max(1, opts.intervalMs ?? 500);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const now = opts.now ?? (() => performance.now());
  const t0 = now();
  const samples: TelemetrySample[] = [];
  let failures = 0;
  let lastFailure: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | null = null;

  const takeSample = async (t: number) => {
    try {
      const r = await readGpuMemory(exec, tool, gpuIndex, { timeoutMs });
      if (r.ok) samples.push({ t_ms: Math.round(t), vram_used_gib: round3(r.memory.vramUsedGiB), vram_total_gib: round3(r.memory.vramTotalGiB), source: tool });
      else fail(r.reason);
    } catch (err) {
      // an injected exec broke its promise never to reject; still only a skipped sample
      fail(err instanceof Error ? err.message : String(err));
    }
  };
  const fail = (reason: string) => {
    failures++;
    lastFailure = reason;
  };

  const tick = () => {
    timer = undefined;
    if (stopped) return;
    const startedAt = now() - t0;
    inFlight = takeSample(startedAt).finally(() => {
      inFlight = null;
      scheduleNext(startedAt);
    });
  };

  /** The next sample starts one interval after this one started, or at once if this one took
   * longer than that; so starts are never closer than the interval, even when a timer fires late. */
  const scheduleNext = (startedAt: number) => {
    if (stopped) return;
    timer = setTimeout(tick, Math.max(0, startedAt + intervalMs - (now() - t0)));
    // sampling alone must not keep the process alive
    timer.unref();
  };

  tick();

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      while (inFlight) await inFlight;
      return samples.slice();
    },
    get samples() {
      return samples.slice();
    },
    get failures() {
      return failures;
    },
    get lastFailure() {
      return lastFailure;
    },
  };
}

/** 0.001 GiB is about 1 MiB, the resolution the tools report in. */
const round3 = (n: number) => Math.round(n * 1000) / 1000;
