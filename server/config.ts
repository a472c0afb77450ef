import { join } from 'node:path';

/** Everything the process reads from its environment, in one typed place. */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  taxonomyDirs: string[];
  /** the largest log or upload accepted, in bytes */
  maxLogBytes: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const int = (v: string | undefined, fallback: number) => {
    const n = Number(v);
    return v !== undefined && v !== '' && Number.isInteger(n) && n > 0 ? n : fallback;
  };
  return {
    port: int(env.PORT, 7860),
    host: env.HOST || '0.0.0.0',
    dataDir: env.DATA_DIR || join(process.cwd(), 'data'),
    taxonomyDirs: (env.REPLAYLAB_TAXONOMY_DIR ?? '').split(':').filter(Boolean),
    maxLogBytes: int(env.REPLAYLAB_MAX_LOG_BYTES, 10 * 1024 * 1024),
  };
}
