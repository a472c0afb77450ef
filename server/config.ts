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
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const int = (v: string | undefined, fallback: number) => {
    const n = Number(v);
    return v !== undefined && v !== '' && Number.isInteger(n) && n > 0 ? n : fallback;
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
  };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
