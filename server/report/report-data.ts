import type { AgentResult, ExperimentResult, Provenance, StepEvent, TelemetrySample } from '../agent/types.js';
import { tailLines } from './escape.js';

/** What both report writers take: the run's step events and the loop's result, as stored. */
export interface ReportInput {
  scenario: { id: string; title: string; summary: string };
  runId: string;
  events: StepEvent[];
  result: AgentResult;
  generatedAt: Date;
  /** The failing run in full (stderr, telemetry). The loop's result does not keep it; without it
   * the report uses what the record step's event holds (`detail.run`: stderr tail, provenance). */
  failing?: ExperimentResult;
}

export type RunRole = 'failing' | 'fixed' | 'baseline';

/** One recording as the report shows it. `stderr` is null when only a tail was stored. */
export interface RunView {
  role: RunRole;
  heading: string;
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  /** wall time of the process that produced the evidence (the CPU simulator, or the real run) */
  durationMs: number | null;
  /** the simulator's clock: how long the real run would take; null when live or unknown */
  simulatedMs: number | null;
  metrics: Record<string, unknown>;
  telemetry: TelemetrySample[];
  provenance: Provenance | null;
  tail: { lines: string[]; first: number | null; total: number | null };
}

const TAIL = 14;

export function runViews(input: ReportInput): { failing: RunView | null; fixed: RunView | null; attempts: RunView[]; baseline: RunView | null } {
  const attempts = input.result.attempts.map((r, i, all) => fromResult(r, 'fixed', all.length > 1 ? `Fixed run, attempt ${i + 1} of ${all.length}` : 'Fixed run'));
  return {
    failing: input.failing ? fromResult(input.failing, 'failing', 'Failing run') : fromSummary(recordDetail(input.events)),
    fixed: attempts.at(-1) ?? null,
    attempts,
    baseline: input.result.baseline ? fromResult(input.result.baseline, 'baseline', 'Baseline run (known-good settings)') : null,
  };
}

function fromResult(r: ExperimentResult, role: RunRole, heading: string): RunView {
  const t = tailLines(r.stderr, TAIL);
  return {
    role, heading, command: r.command, exitCode: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs,
    simulatedMs: r.simulatedMs, metrics: r.metrics ?? {}, telemetry: r.telemetry ?? [], provenance: r.provenance ?? null,
    tail: { lines: t.lines, first: t.first, total: t.total },
  };
}

/** The record step's `detail.run` (the loop's summary of the failing run). */
function recordDetail(events: StepEvent[]): Record<string, unknown> | null {
  const run = events.find((e) => e.kind === 'record')?.detail?.run;
  return run && typeof run === 'object' ? (run as Record<string, unknown>) : null;
}

function fromSummary(run: Record<string, unknown> | null): RunView | null {
  if (!run) return null;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const telemetry = Array.isArray(run.telemetry) ? (run.telemetry as TelemetrySample[]) : [];
  const stderrTail = typeof run.stderr_tail === 'string' ? run.stderr_tail.replace(/\n+$/, '') : '';
  return {
    role: 'failing', heading: 'Failing run', command: String(run.command ?? ''),
    exitCode: num(run.exit_code), timedOut: run.timed_out === true, durationMs: num(run.duration_ms),
    // a summary without simulated_ms: the simulator's clock is where its samples end; a live
    // run (provenance live) has no simulated clock
    simulatedMs: num(run.simulated_ms) ?? (telemetry.length && !(isProvenance(run.provenance) && run.provenance.kind === 'live') ? telemetry[telemetry.length - 1].t_ms : null),
    metrics: (run.metrics as Record<string, unknown>) ?? {}, telemetry,
    provenance: isProvenance(run.provenance) ? run.provenance : null,
    tail: { lines: stderrTail ? stderrTail.split('\n').slice(-TAIL) : [], first: null, total: null },
  };
}

function isProvenance(p: unknown): p is Provenance {
  return !!p && typeof p === 'object' && typeof (p as Provenance).kind === 'string' && typeof (p as Provenance).text === 'string';
}

/** "simulated" when any sample or recording says so; "reconstructed" next; "measured" only when
 * every recording is live. Never upgraded. */
export function evidenceKind(runs: (RunView | null)[]): 'simulated' | 'reconstructed' | 'measured' | 'unknown' {
  const present = runs.filter((r): r is RunView => !!r);
  if (!present.length) return 'unknown';
  if (present.some((r) => r.provenance?.kind === 'simulated' || r.telemetry.some((s) => s.simulated))) return 'simulated';
  if (present.some((r) => r.provenance?.kind === 'reconstructed')) return 'reconstructed';
  if (present.every((r) => r.provenance?.kind === 'live')) return 'measured';
  return 'unknown';
}

export const PROVENANCE_LABEL: Record<Provenance['kind'], string> = {
  simulated: 'simulated on CPU',
  reconstructed: 'reconstructed from published figures',
  live: 'recorded live',
};

export function verdictView(result: AgentResult, events: StepEvent[]): { label: string; tone: 'ok' | 'fail' | 'warn' | 'info'; text: string } {
  const v = result.verification;
  const held = v ? `${v.checks.filter((c) => c.ok).length} of ${v.checks.length} checks hold` : 'no checks ran';
  const plan = events.find((e) => e.kind === 'plan');
  switch (result.verdict) {
    case 'recovered': return { label: 'Recovered', tone: 'ok', text: `The re-run with the fix succeeded: ${held}.` };
    case 'not_recovered': return { label: 'Not recovered', tone: 'fail', text: `The re-run with the fix did not recover: ${held}.` };
    case 'no_fix': return { label: 'No fix applied', tone: 'warn', text: plan?.summary ? `The failure was diagnosed, but ${plan.summary}.` : 'The failure was diagnosed, but no change this experiment can take was computed.' };
    case 'no_failure': return { label: 'No failure', tone: 'info', text: 'The run exited 0: there was nothing to fix.' };
    default: return { label: String(result.verdict), tone: 'info', text: '' };
  }
}

/** How the chart and tables name telemetry of this provenance; measured samples also name the
 * tool that read them (nvidia-smi, amd-smi, rocm-smi: device-wide, other processes included). */
export function telemetryCaption(kind: ReturnType<typeof evidenceKind>, runs: (RunView | null)[] = []): string {
  const tools = [...new Set(runs.flatMap((r) => r?.telemetry.map((s) => s.source).filter((s): s is string => !!s) ?? []))];
  if (kind === 'measured' && tools.length) return `measured telemetry (${tools.join(', ')}, device-wide)`;
  return { simulated: 'simulated telemetry', reconstructed: 'reconstructed telemetry (published figures)', measured: 'measured telemetry', unknown: 'telemetry of unknown provenance' }[kind];
}
