import type { ExperimentResult } from '../agent/types.js';
import type { Recording } from './recording.js';

/** Replays a recording with its original timing divided by `speed` (0: no waiting, for tests).
 * The provenance is the recording's own, with "replayed" added: a replay never passes for a run. */
export async function replayRecording(rec: Recording, speed: number, onLine?: (line: Recording['lines'][number]) => void, signal?: AbortSignal): Promise<ExperimentResult> {
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  for (const l of rec.lines) {
    if (signal?.aborted) break;
    const due = speed > 0 ? l.t_ms / speed - (performance.now() - started) : 0;
    if (due > 0) await new Promise((r) => setTimeout(r, due));
    if (l.stream === 'stdout') stdout += `${l.line}\n`;
    else stderr += `${l.line}\n`;
    onLine?.(l);
  }
  const m = rec.manifest;
  return {
    label: m.label, command: m.command, params: m.params,
    exitCode: signal?.aborted ? 130 : m.exit_code, timedOut: m.timed_out,
    durationMs: m.duration_ms, simulatedMs: m.simulated_ms,
    stdout, stderr, metrics: m.metrics, telemetry: rec.telemetry, ...(m.context ? { context: m.context } : {}),
    provenance: { kind: m.provenance.kind, text: `replayed recording ${m.recorded_at.slice(0, 10)} — ${m.provenance.text}` },
  };
}
