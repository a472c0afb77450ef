import { fileURLToPath } from 'node:url';

/** The CPU simulators as pure functions: each returns the run's stdout/stderr lines, exit code,
 * metrics and simulated telemetry. The process entries (vllm-startup.ts, train-step.ts,
 * load-run.ts) replay these results with timing; tests and the runner can call them directly. */
export { simulateVllmStartup, vllmStartupFromArgv, VLLM_DEFAULTS, VLLM_PROVENANCE, type VllmMetrics, type VllmParams } from './vllm.js';
export { simulateTrainStep, trainStepFromArgv, torchSize, TRAIN_DEFAULTS, TRAIN_PROVENANCE, type TrainMetrics, type TrainParams } from './train.js';
export { simulateLoadRun, loadRunFromArgv, speedup, LOAD_DEFAULTS, LOAD_PROVENANCE, type LoadMetrics, type LoadParams } from './load.js';
export { findModel, kvBytesPerToken, MI300X, MODELS, type ModelFigures } from './vllm-figures.js';
export type { RunOptions, SimEvent, SimResult, TelemetrySample } from './common.js';

/** Paths of the process entries, for spawning (`node --import tsx <file>` in dev; the compiled
 * .js next to this file in dist/). */
const here = (name: string) => fileURLToPath(new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
export const SIMULATOR_ENTRIES = {
  vllmStartup: here('vllm-startup'),
  trainStep: here('train-step'),
  loadRun: here('load-run'),
} as const;
