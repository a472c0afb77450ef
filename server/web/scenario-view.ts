import type { ScenarioRunResult } from '../agent/run-registry.js';
import { PARAM_BOUNDS } from '../agent/run-request.js';
import { STEP_KINDS, type StepEvent } from '../agent/types.js';
import type { RunRecord, RunStatus } from '../store/runs.js';
import { stepView, type StepView } from './step-view.js';
import { utcTime } from './view-helpers.js';

export const TOTAL_STEPS = STEP_KINDS.length;

/** A scenario run's page: the summary card, the timeline, and whether the page streams. */
export interface ScenarioRunView {
  id: string;
  path: string;
  permalink: string;
  title: string;
  scenarioId: string | null;
  mode: string;
  status: RunStatus;
  running: boolean;
  created: string;
  createdIso: string;
  steps: StepView[];
  total: number;
  statusLine: string;
  /** where the page's htmx SSE connects; null for a finished run (no stream attributes at all) */
  streamUrl: string | null;
  summary: RunSummaryView | null;
  error: string | null;
  /** what "Run again" posts besides the scenario: this run's mode and the numeric params it ran
   * with (a card's "Advanced" values), so the run it starts is this one again, not the defaults */
  rerunFields: [string, string][];
}

export interface RunSummaryView {
  verdict: string;
  verdictLabel: string;
  category: string | null;
  diagnosisTitle: string | null;
  changes: string[];
  checks: string;
  gaveUp: string[];
  cost: string | null;
  provenance: string[];
}

const VERDICTS: Record<string, string> = { recovered: 'Recovered', not_recovered: 'Not recovered', no_failure: 'No failure found', no_fix: 'No fix this experiment can take' };

export function scenarioRunView(run: RunRecord, steps: readonly StepEvent[], origin: string, queuePosition: number | null = null): ScenarioRunView {
  const path = `/runs/${run.id}`;
  const longest = Math.max(0, ...steps.map((s) => s.durationMs));
  const result = run.status === 'done' ? (run.result as ScenarioRunResult | null) : null;
  const last = steps.at(-1)?.seq ?? 0;
  return {
    id: run.id, path, permalink: `${origin}${path}`, title: run.title, scenarioId: run.scenarioId,
    mode: modeText(run.mode), status: run.status, running: run.status === 'running',
    created: utcTime(run.createdAt), createdIso: new Date(run.createdAt).toISOString(),
    steps: steps.map((s) => stepView(s, longest)), total: TOTAL_STEPS,
    statusLine: statusLine(run, steps, queuePosition),
    streamUrl: run.status === 'running' ? `${path}/stream?after=${last}` : null,
    summary: result ? summaryView(result) : null,
    error: run.status === 'failed' || run.status === 'interrupted' ? errorText(run) : null,
    rerunFields: rerunFields(run),
  };
}

function rerunFields(run: RunRecord): [string, string][] {
  const fields: [string, string][] = run.mode ? [['mode', run.mode]] : [];
  let params: unknown = null;
  try { params = JSON.parse(run.config ?? 'null'); } catch { /* no params stored: the defaults */ }
  if (!params || typeof params !== 'object' || Array.isArray(params)) return fields;
  for (const [name, value] of Object.entries(params)) {
    if (Object.hasOwn(PARAM_BOUNDS, name) && typeof value === 'number' && Number.isFinite(value)) fields.push([name, String(value)]);
  }
  return fields;
}

export function modeText(mode: string | null): string {
  return mode === 'replay'
    ? 'Replay: a recording from runs/ where one matches the params, else the CPU simulator (each run’s provenance says which)'
    : 'Live: the scenario’s real program on this machine’s GPU where it is installed, else the CPU simulator (each run’s provenance says which)';
}

/** The one aria-live line: progress while running ("step 3 of 9"), the outcome after. */
export function statusLine(run: RunRecord, steps: readonly StepEvent[], queuePosition: number | null): string {
  const n = steps.at(-1)?.seq ?? 0;
  const current = steps.at(-1);
  switch (run.status) {
    case 'running':
      if (!current) return queuePosition !== null ? `Queued: ${queuePosition} run(s) ahead; it starts when a runner is free.` : `Running · step 0 of ${TOTAL_STEPS} · starting the experiment`;
      return `Running · step ${n} of ${TOTAL_STEPS} · ${current.title}: ${current.status === 'ok' ? 'done' : current.status}`;
    case 'done': {
      const r = run.result as ScenarioRunResult | null;
      const verdict = r ? VERDICTS[r.verdict] ?? r.verdict : 'finished';
      return `Finished · step ${n} of ${TOTAL_STEPS} · ${verdict}${run.category ? ` (${run.category})` : ''}`;
    }
    case 'failed':
      return `Failed at step ${n} of ${TOTAL_STEPS}: ${errorText(run)}`;
    default:
      return `Interrupted at step ${n} of ${TOTAL_STEPS}: ${errorText(run)}`;
  }
}

function errorText(run: RunRecord): string {
  const e = (run.result as { error?: unknown } | null)?.error;
  if (typeof e === 'string') return e;
  return run.status === 'interrupted' ? 'the server restarted while it ran' : 'the run stopped with an error';
}

function summaryView(r: ScenarioRunResult): RunSummaryView {
  const fixed = r.attempts.at(-1);
  const changes = fixed ? Object.entries(fixed.params).filter(([k, v]) => r.params[k] !== v).map(([k, v]) => `${k}: ${r.params[k]} → ${v}`) : [];
  const checks = r.verification ? `${r.verification.checks.filter((c) => c.ok).length} of ${r.verification.checks.length} checks hold` : 'nothing to verify';
  const runs = [r.failing, ...r.attempts, r.baseline].filter((x) => x !== null);
  // a simulated run's GPU-seconds are the simulator's clock: what the real runs would take
  const clock = runs.some((x) => x.simulatedMs !== null) ? ' (simulated clock: no GPU was used)' : '';
  const cost = r.cost
    ? `${r.cost.gpuSeconds} GPU-seconds${clock} × $${r.cost.dollarsPerGpuHour}/GPU-hour = $${r.cost.dollars.toFixed(4)}, against a manual estimate of ${r.cost.manualHours} h ($${r.cost.manualDollars})`
    : null;
  return {
    verdict: r.verdict, verdictLabel: VERDICTS[r.verdict] ?? r.verdict,
    category: r.diagnosis?.category ?? null, diagnosisTitle: r.diagnosis?.title ?? null,
    changes, checks, gaveUp: r.verification?.gaveUp.map((g) => `${g.param} ${g.from} → ${g.to}`) ?? [],
    cost, provenance: [...new Set(runs.map((x) => x.provenance.text))],
  };
}
