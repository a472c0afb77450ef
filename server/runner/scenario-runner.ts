import type { Scenario } from '../agent/scenario.js';
import type { ExperimentResult, Params } from '../agent/types.js';
import type { LiveOptions } from './live/live-options.js';
import { liveUnavailable } from './live/environment.js';
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

/** The experiment runner for one scenario. Replay: the recording of exactly these params when
 * one exists. Live: the scenario's own program on this machine's GPU when there is one and the
 * program is installed. Otherwise the CPU simulator — and the provenance says which ran and why.
 * Commands come only from scenario files. */
export function scenarioRunner(scenario: Scenario, opts: RunnerOptions) {
  return async (params: Params, label: ExperimentResult['label']): Promise<ExperimentResult> => {
    const signal = opts.signal ?? new AbortController().signal;
    const lines: OutputLine[] = [];
    const onLine = (l: OutputLine) => { lines.push(l); opts.onLine?.(label, l); };
    const rec = opts.mode === 'replay' ? findRecording(opts.runs ?? runsDir(), scenario.id, label, params) : null;
    if (rec) return replayRecording(rec, opts.speed ?? 1, (l) => opts.onLine?.(label, l), signal);

    let why = 'no recording of these params';
    if (opts.mode === 'live' && opts.live) {
      const live = opts.live;
      const env = live.enabled ? await live.environment(scenario.live?.kind === 'python' ? scenario.live.module : undefined) : null;
      const unavailable = env ? liveUnavailable(scenario, env, live.env) : 'live GPU runs are off here (REPLAYLAB_LIVE_GPU=off)';
      const busy = !unavailable && live.lock.pending >= live.maxPending ? `the GPU is busy (${live.lock.pending} live runs running or waiting)` : null;
      if (env?.gpu.found && !unavailable && !busy) {
        const result = await live.lock.run(signal, () => runLive(scenario, params, label, {
          exec: live.exec, env: { ...env, gpu: env.gpu as typeof env.gpu & { found: true } },           telemetryIntervalMs: live.telemetryIntervalMs, processEnv: live.env, signal, onLine,
        }));
        if (opts.recordTo) writeRecording(opts.recordTo, scenario.id, result, lines, `replaylab record (live on ${env.gpu.gpus[0].name})`);
        return result;
      }
      why = `live mode: ${unavailable ?? busy}`;
    }
    const result = await runSimulator(scenario, params, label, { timeScale: opts.timeScale ?? 0.01, onLine }, signal);
    if (opts.recordTo) writeRecording(opts.recordTo, scenario.id, result, lines, 'replaylab record (CPU simulator)');
    if (opts.mode === 'replay' || opts.live) result.provenance = { ...result.provenance, text: `${result.provenance.text} — ${why}, so the simulator ran` };
    return result;
  };
}
