import type { Scenario } from '../agent/scenario.js';
import type { ExperimentResult, Params } from '../agent/types.js';
import { findRecording, runsDir, writeRecording } from './recording.js';
import { replayRecording } from './replay-runner.js';
import { runSimulator, type OutputLine } from './simulator-runner.js';

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
}

/** The experiment runner for one scenario: replay a recording of exactly these params when one
 * exists (and mode is replay), otherwise run the CPU simulator. Commands come only from scenario
 * files; this machine has no GPU path yet, and the provenance says which one ran. */
export function scenarioRunner(scenario: Scenario, opts: RunnerOptions) {
  return async (params: Params, label: ExperimentResult['label']): Promise<ExperimentResult> => {
    const rec = opts.mode === 'replay' ? findRecording(opts.runs ?? runsDir(), scenario.id, label, params) : null;
    if (rec) return replayRecording(rec, opts.speed ?? 1, (l) => opts.onLine?.(label, l), opts.signal);
    const lines: OutputLine[] = [];
    const result = await runSimulator(scenario, params, label, {
      timeScale: opts.timeScale ?? 0.01,
      onLine: (l) => { lines.push(l); opts.onLine?.(label, l); },
    }, opts.signal);
    if (opts.recordTo) writeRecording(opts.recordTo, scenario.id, result, lines, 'replaylab record (CPU simulator)');
    if (opts.mode === 'replay') result.provenance = { ...result.provenance, text: `${result.provenance.text} — no recording of these params, so the simulator ran` };
    return result;
  };
}
