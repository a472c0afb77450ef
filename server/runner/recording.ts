import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExperimentResult, Params } from '../agent/types.js';
import type { OutputLine } from './simulator-runner.js';

/** A recording (runs/<scenario>-<label>-<params hash>/): what a run printed and when, its
 * telemetry and metrics, and a manifest that states where it came from. Written by
 * `replaylab record`, read by the replay runner. */
export interface Manifest {
  format: 'replaylab-recording/1';
  scenario: string;
  label: ExperimentResult['label'];
  params: Params;
  command: string;
  exit_code: number;
  timed_out: boolean;
  duration_ms: number;
  simulated_ms: number | null;
  provenance: ExperimentResult['provenance'];
  metrics: Record<string, unknown>;
  /** a live run's machine (GPU name and memory), told to the diagnosis when it is replayed */
  context?: Record<string, string | number>;
  recorded_at: string;
  recorder: string;
}

export interface Recording { dir: string; manifest: Manifest; lines: OutputLine[]; telemetry: ExperimentResult['telemetry'] }

export function runsDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../../runs', '../../../runs']) if (existsSync(join(here, up))) return join(here, up);
  return join(here, '../../runs');
}

/** Params → a short stable hash: a recording replays only the exact experiment it captured. */
export function paramsKey(params: Params): string {
  const sorted = Object.fromEntries(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 10);
}

export const recordingName = (scenario: string, label: string, params: Params) => `${scenario}-${label}-${paramsKey(params)}`;

export function writeRecording(root: string, scenario: string, run: ExperimentResult, lines: OutputLine[], recorder: string): string {
  const dir = join(root, recordingName(scenario, run.label, run.params));
  mkdirSync(dir, { recursive: true });
  const manifest: Manifest = {
    format: 'replaylab-recording/1', scenario, label: run.label, params: run.params, command: run.command,
    exit_code: run.exitCode, timed_out: run.timedOut, duration_ms: run.durationMs, simulated_ms: run.simulatedMs,
    provenance: run.provenance, metrics: run.metrics, ...(run.context ? { context: run.context } : {}), recorded_at: new Date().toISOString(), recorder,
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'output.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  writeFileSync(join(dir, 'telemetry.jsonl'), run.telemetry.map((t) => JSON.stringify(t)).join('\n') + (run.telemetry.length ? '\n' : ''));
  return dir;
}

/** The recording of this exact experiment, or null when none was made. */
export function findRecording(root: string, scenario: string, label: string, params: Params): Recording | null {
  for (const name of [recordingName(scenario, label, params)]) {
    const dir = join(root, name);
    if (!existsSync(join(dir, 'manifest.json'))) continue;
    const jsonl = <T>(file: string): T[] => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as T) : []);
    return { dir, manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest, lines: jsonl<OutputLine>('output.jsonl'), telemetry: jsonl('telemetry.jsonl') };
  }
  return null;
}
