import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '../agent/scenario.js';
import type { ExperimentResult, Params, TelemetrySample } from '../agent/types.js';
import { patchCommand } from '../planner/patch-command.js';
import { lastJsonLine, lineSplitter, type OutputLine } from './output-lines.js';
import { paramFlags } from './param-flags.js';
import { SIMULATOR_ENTRIES } from './simulators/index.js';

export type { OutputLine } from './output-lines.js';

const ENTRY = { 'vllm-startup': SIMULATOR_ENTRIES.vllmStartup, 'train-step': SIMULATOR_ENTRIES.trainStep, 'load-run': SIMULATOR_ENTRIES.loadRun } as const;
const MAX_OUTPUT = 4 * 1024 * 1024;

export interface SimulatorRunnerOptions {
  /** simulated seconds x timeScale = real seconds (0.01 by default: a 25 s vLLM start in 0.25 s) */
  timeScale?: number;
  /** a run that has not exited by then is killed and reported as timed out */
  timeoutMs?: number;
  /** every output line as it arrives, with ms since the start (the recorder keeps them) */
  onLine?: (line: OutputLine) => void;
}

/** Flags in the tool's own style from scenario params: `max_model_len: 65536` → `--max-model-len 65536`;
 * vLLM's model is positional (`serve MODEL`). */
export function simulatorArgs(scenario: Scenario, params: Params): string[] {
  if (scenario.simulator !== 'vllm-startup') return paramFlags(params);
  const { model, ...flags } = params;
  return ['serve', String(model), ...paramFlags(flags)];
}

/** The command a person would run with these params (the scenario's command, flags patched). */
export function displayCommand(scenario: Scenario, params: Params): string {
  const changes = Object.entries(params).filter(([k]) => k !== 'model' && k !== 'gpu').map(([param, to]) => ({ param, from: null, to, why: '' }));
  return patchCommand(scenario.command, changes, {});
}

/** Runs a scenario's simulator as a real child process: real stderr, exit code and timing. */
export function runSimulator(scenario: Scenario, params: Params, label: ExperimentResult['label'], opts: SimulatorRunnerOptions = {}, signal?: AbortSignal): Promise<ExperimentResult> {
  const entry = ENTRY[scenario.simulator];
  const dir = mkdtempSync(join(tmpdir(), 'replaylab-sim-'));
  const telemetryFile = join(dir, 'telemetry.jsonl');
  const args = [...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), entry, ...simulatorArgs(scenario, params), '--time-scale', String(opts.timeScale ?? 0.01), '--telemetry', telemetryFile];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const emit = opts.onLine ?? (() => {});
    const outLines = lineSplitter('stdout', started, emit);
    const errLines = lineSplitter('stderr', started, emit);
    child.stdout.on('data', (d) => { if (stdout.length < MAX_OUTPUT) { stdout += d; outLines.push(String(d)); } });
    child.stderr.on('data', (d) => { if (stderr.length < MAX_OUTPUT) { stderr += d; errLines.push(String(d)); } });
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => { timedOut = true; kill(); }, opts.timeoutMs ?? 60_000);
    signal?.addEventListener('abort', kill, { once: true });
    if (signal?.aborted) kill();
    child.on('error', (e) => { clearTimeout(timer); rmSync(dir, { recursive: true, force: true }); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      outLines.end();
      errLines.end();
      signal?.removeEventListener('abort', kill);
      const telemetry = readTelemetry(telemetryFile);
      rmSync(dir, { recursive: true, force: true });
      const provenanceLine = stderr.split('\n')[0] ?? '';
      resolve({
        label, params, command: displayCommand(scenario, params),
        exitCode: timedOut ? 124 : code ?? 1, timedOut,
        durationMs: Math.round(performance.now() - started),
        simulatedMs: telemetry.length ? telemetry[telemetry.length - 1].t_ms : null,
        stdout, stderr, metrics: lastJsonLine(stdout), telemetry,
        provenance: { kind: 'simulated', text: provenanceLine.replace(/^\[replaylab-simulator\]\s*/, '') || 'CPU simulator' },
      });
    });
  });
}

function readTelemetry(file: string): TelemetrySample[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as TelemetrySample);
  } catch {
    return [];
  }
}
