import type { Scenario } from '../agent/scenario.js';
import type { ExperimentResult, Params } from '../agent/types.js';
import type { LiveOptions } from './live/live-options.js';
import { liveUnavailable, type LiveEnvironment } from './live/environment.js';
import { runLive } from './live/live-runner.js';
import type { OutputLine } from './output-lines.js';
import { findRecording, runsDir, writeRecording } from './recording.js';
import { replayRecording } from './replay-runner.js';
import { runSimulator } from './simulator-runner.js';

export type RunMode = 'replay' | 'live';

export interface RunnerOptions {
  mode: RunMode;
  /** replay speed (1 = original timing, 0 = no waiting) */
  speed?: number;
  /** simulated seconds x timeScale = real seconds for simulator runs */
  timeScale?: number;
  /** write every run made here as a recording under this folder (`replaylab record`) */
  recordTo?: string;
  runs?: string;
  signal?: AbortSignal;
  onLine?: (label: ExperimentResult['label'], line: OutputLine) => void;
  /** how live mode reaches a GPU; left out, live mode runs the simulator */
  live?: LiveOptions;
}

/** The experiment runner for one scenario run (one agent loop: make one per loop). Replay: the
 * recording of exactly these params when one exists. Live: the scenario's own program on this
 * machine's GPU when there is one and the program is installed. Otherwise the CPU simulator —
 * and the provenance says which ran and why. Live or not is decided once, at the loop's first
 * run: a fix verified live against a simulated baseline would prove nothing. Commands come only
 * from scenario files. */
export function scenarioRunner(scenario: Scenario, opts: RunnerOptions) {
  let decision: Promise<LiveDecision> | null = null;
  return async (params: Params, label: ExperimentResult['label']): Promise<ExperimentResult> => {
    const signal = opts.signal ?? new AbortController().signal;
    const lines: OutputLine[] = [];
    const onLine = (l: OutputLine) => { lines.push(l); opts.onLine?.(label, l); };
    const rec = opts.mode === 'replay' ? findRecording(opts.runs ?? runsDir(), scenario.id, label, params) : null;
    if (rec) return replayRecording(rec, opts.speed ?? 1, (l) => opts.onLine?.(label, l), signal);

    const live = opts.mode === 'live' ? opts.live : undefined;
    const decided = live ? await (decision ??= decideLive(scenario, live)) : null;
    if (live && decided?.env) {
      const env = decided.env;
      const result = await live.lock.run(signal, () => runLive(scenario, params, label, {
        exec: live.exec, env, telemetryIntervalMs: live.telemetryIntervalMs, processEnv: live.env, signal, onLine,
      }));
      if (opts.recordTo) writeRecording(opts.recordTo, scenario.id, result, lines, `replaylab record (live on ${result.context?.gpu ?? 'a GPU'})`);
      return result;
    }
    const result = await runSimulator(scenario, params, label, { timeScale: opts.timeScale ?? 0.01, onLine }, signal);
    if (opts.recordTo) writeRecording(opts.recordTo, scenario.id, result, lines, 'replaylab record (CPU simulator)');
    const why = decided ? `live mode: ${decided.why}` : opts.mode === 'replay' ? 'no recording of these params' : null;
    if (why) result.provenance = { ...result.provenance, text: `${result.provenance.text} — ${why}, so the simulator ran` };
    return result;
  };
}

type LiveDecision = { env: LiveEnvironment & { gpu: { found: true } }; why: null } | { env: null; why: string };

async function decideLive(scenario: Scenario, live: LiveOptions): Promise<LiveDecision> {
  if (!live.enabled) return { env: null, why: 'live GPU runs are off here (REPLAYLAB_LIVE_GPU=off)' };
  const env = await live.environment(scenario.live?.kind === 'python' ? scenario.live.module : undefined);
  const why = liveUnavailable(scenario, env, live.env)
    ?? (live.lock.pending >= live.maxPending ? `the GPU is busy (${live.lock.pending} live runs running or waiting)` : null);
  return why || !env.gpu.found ? { env: null, why: why ?? 'no GPU' } : { env: { ...env, gpu: env.gpu }, why: null };
}
