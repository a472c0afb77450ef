import { join } from 'node:path';

/** Everything the process reads from its environment, in one typed place. Nothing here names a
 * public origin: pages build absolute links from the request they answer (see web/origin.ts). */
export interface AppConfig {
  port: number;
  host: string;
  /** where the SQLite database lives; DATA_DIR, or ./data (gitignored) when unset */
  dataDir: string;
  /** the database file: join(dataDir, 'replaylab.db') */
  dbFile: string;
  taxonomyDirs: string[];
  /** the largest log or upload accepted, in bytes */
  maxLogBytes: number;
  /** retention: keep at most this many runs (oldest pruned first) */
  maxRuns: number;
  /** retention: prune runs older than this many days */
  maxAgeDays: number;
  /** CPU simulators: simulated seconds x this = real seconds (0.05: a 25 s vLLM start in 1.25 s) */
  simTimeScale: number;
  /** replay mode: a recording's original timing divided by this (0: no waiting) */
  replaySpeed: number;
  /** scenario runs executing at once; the rest wait in a queue */
  maxConcurrentRuns: number;
  /** the cost line of a scenario run: GPU time at this rate (AMD Developer Cloud's MI300X price)… */
  dollarsPerGpuHour: number;
  /** …against this estimate of debugging the same failure by hand */
  manualDebugHours: number;
  engineerDollarsPerHour: number;
  /** live mode on a machine with a GPU runs the scenarios' real programs; false
   * (REPLAYLAB_LIVE_GPU=off) keeps live mode on the CPU simulators even there */
  liveGpu: boolean;
  /** a live run samples GPU memory with nvidia-smi / amd-smi / rocm-smi this often */
  telemetryIntervalMs: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const int = (v: string | undefined, fallback: number) => {
    const n = Number(v);
    return v !== undefined && v !== '' && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const num = (v: string | undefined, fallback: number) => {
    const n = Number(v);
    return v !== undefined && v.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : fallback;
  };
  const dataDir = env.DATA_DIR || join(process.cwd(), 'data');
  return {
    port: int(env.PORT, 7860),
    host: env.HOST || '0.0.0.0',
    dataDir,
    dbFile: join(dataDir, 'replaylab.db'),
    taxonomyDirs: (env.REPLAYLAB_TAXONOMY_DIR ?? '').split(':').filter(Boolean),
    maxLogBytes: int(env.REPLAYLAB_MAX_LOG_BYTES, 10 * 1024 * 1024),
    maxRuns: int(env.REPLAYLAB_MAX_RUNS, 5000),
    maxAgeDays: int(env.REPLAYLAB_MAX_AGE_DAYS, 30),
    simTimeScale: num(env.REPLAYLAB_SIM_TIME_SCALE, 0.05),
    replaySpeed: num(env.REPLAYLAB_REPLAY_SPEED, 1),
    maxConcurrentRuns: int(env.REPLAYLAB_MAX_CONCURRENT_RUNS, 8),
    dollarsPerGpuHour: num(env.REPLAYLAB_DOLLARS_PER_GPU_HOUR, 1.99),
    manualDebugHours: num(env.REPLAYLAB_MANUAL_DEBUG_HOURS, 2),
    engineerDollarsPerHour: num(env.REPLAYLAB_ENGINEER_DOLLARS_PER_HOUR, 75),
    liveGpu: !/^(off|0|false|no)$/i.test(env.REPLAYLAB_LIVE_GPU ?? ''),
    telemetryIntervalMs: int(env.REPLAYLAB_TELEMETRY_INTERVAL_MS, 1000),
  };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
