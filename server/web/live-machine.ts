import type { LiveOptions } from '../runner/live/live-options.js';
import { describeLiveEnvironment } from '../runner/live/environment.js';

/** What the scenario cards say live mode does on this machine. */
export interface LiveMachine {
  /** a GPU was found: live runs start the scenarios' real programs where installed */
  gpu: boolean;
  text: string;
}

/** From the probe if it has run (main.ts starts it; the home page waits for it), else null. */
export function liveMachine(live: LiveOptions): LiveMachine | null {
  if (!live.enabled) return { gpu: false, text: 'live GPU runs are off here (REPLAYLAB_LIVE_GPU=off) — live runs use the CPU simulators' };
  const env = live.known();
  return env ? { gpu: env.gpu.found, text: describeLiveEnvironment(env) } : null;
}
