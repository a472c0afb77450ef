import { join } from 'node:path';
import type { LiveSpec } from '../../agent/scenario.js';
import type { Params } from '../../agent/types.js';
import type { OutputLine } from '../output-lines.js';
import { paramFlags } from '../param-flags.js';
import { exitStatus, startChild, type LiveChild } from './child.js';

export interface PythonLiveRun {
  exitCode: number;
  timedOut: boolean;
  argv: string[];
  /** the flags after the script: the params, then the scenario's own args */
  args: string[];
  child: LiveChild;
}

/** Runs a script shipped in scenarios/ with python3 until it exits, or kills it at timeout_s. */
export async function runPythonLive(live: Extract<LiveSpec, { kind: 'python' }>, params: Params, o: { scenariosDir: string; env: NodeJS.ProcessEnv; signal: AbortSignal; onLine: (l: OutputLine) => void }): Promise<PythonLiveRun> {
  const args = [...paramFlags(params), ...live.args];
  const argv = ['python3', '-u', join(o.scenariosDir, live.script), ...args];
  const child = startChild(argv, { env: o.env, onLine: o.onLine });
  let timedOut = false;
  const timer = setTimeout(() => { timedOut = true; void child.stop(5_000); }, live.timeout_s * 1000);
  const onAbort = () => void child.stop(5_000);
  o.signal.addEventListener('abort', onAbort, { once: true });
  if (o.signal.aborted) onAbort();
  const exit = await child.exited;
  clearTimeout(timer);
  o.signal.removeEventListener('abort', onAbort);
  return { exitCode: timedOut ? 124 : exitStatus(exit), timedOut, argv, args, child };
}
