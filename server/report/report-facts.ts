import type { AgentResult, StepEvent } from '../agent/types.js';
import type { FixChange } from '../diagnosis/types.js';
import { formatValue } from './escape.js';
import type { RunView } from './report-data.js';

/** One row of the config diff: a change the loop applied (or one it did not, and why not). */
export interface DiffRow {
  param: string;
  from: string;
  to: string;
  why: string;
  status: 'applied' | 'alternative' | 'not applied' | 'advice';
  /** the planner's name when the experiment calls the setting differently (time_budget_s → budget_s) */
  plannedAs: string | null;
  /** what the last attempt really ran with, when a later attempt changed it again */
  finalValue: string | null;
}

/** The applied changes come from the plan step (`detail.applied`: "key: from → to", the loop's own
 * record); each one's arithmetic comes from the diagnosis' fix change with the same values. */
export function configDiff(result: AgentResult, events: StepEvent[], finalParams: Record<string, unknown> | null): DiffRow[] {
  const changes: FixChange[] = result.diagnosis?.fix?.changes ?? [];
  const plan = events.find((e) => e.kind === 'plan');
  const applied = Array.isArray(plan?.detail?.applied) ? (plan!.detail.applied as unknown[]).map(String) : [];
  const used = new Set<FixChange>();
  const rows: DiffRow[] = [];
  for (const line of applied) {
    const m = /^(.+?): (.*) → (.*)$/.exec(line);
    if (!m) continue;
    const [, key, from, to] = m;
    const change = changes.find((c) => !used.has(c) && !c.alternative && String(c.to) === to && (c.from === null || String(c.from) === from))
      ?? changes.find((c) => !used.has(c) && !c.alternative && c.param === key);
    if (change) used.add(change);
    const final = finalParams && key in finalParams ? formatValue(finalParams[key]) : null;
    rows.push({ param: key, from, to, why: change?.why ?? '', status: 'applied', plannedAs: change && change.param !== key ? change.param : null, finalValue: final !== null && final !== to ? final : null });
  }
  for (const c of changes) {
    if (used.has(c)) continue;
    const concrete = typeof c.to === 'number' || typeof c.to === 'boolean' || (typeof c.to === 'string' && /^[\w.:/-]+$/.test(c.to));
    const status: DiffRow['status'] = c.alternative ? 'alternative' : !concrete ? 'advice' : 'not applied';
    rows.push({ param: c.param, from: formatValue(c.from), to: formatValue(c.to), why: c.why, status, plannedAs: null, finalValue: null });
  }
  return rows;
}

export interface ThroughputRow { metric: string; unit: string; failing: string; failingNote: string | null; fixed: string; baseline: string }

const THROUGHPUT: { key: string; label: string; unit: string }[] = [
  { key: 'tokens_per_s', label: 'tokens per second', unit: 'tok/s' },
  { key: 'items_per_s', label: 'items per second', unit: 'items/s' },
  { key: 'items_done', label: 'items completed', unit: 'items' },
  { key: 'elapsed_s', label: 'elapsed', unit: 's' },
];

/** Throughput before/after: the failing run usually reports no metrics (it died); where the
 * diagnosis read the same figure from its log, that value is shown and marked "from the log". */
export function throughputRows(result: AgentResult, failing: RunView | null, fixed: RunView | null, baseline: RunView | null): ThroughputRow[] {
  const facts = result.diagnosis?.facts ?? {};
  const rows: ThroughputRow[] = [];
  const show = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'number' ? String(v) : formatValue(v));
  for (const { key, label, unit } of THROUGHPUT) {
    const f = failing?.metrics[key];
    const fromLog = f === undefined ? facts[key] : undefined;
    const all = [f, fromLog, fixed?.metrics[key], baseline?.metrics[key]];
    if (all.every((v) => v === undefined)) continue;
    const total = key === 'items_done' ? (failing?.metrics.items_total ?? facts.items_total) : undefined;
    const failingText = f !== undefined ? show(f) : fromLog !== undefined ? `${show(fromLog)}${total !== undefined ? ` of ${show(total)}` : ''}` : '—';
    const fixedTotal = key === 'items_done' && fixed?.metrics.items_total !== undefined ? ` of ${show(fixed.metrics.items_total)}` : '';
    const baseTotal = key === 'items_done' && baseline?.metrics.items_total !== undefined ? ` of ${show(baseline.metrics.items_total)}` : '';
    rows.push({
      metric: label, unit, failing: failingText,
      failingNote: f === undefined ? (fromLog !== undefined ? 'from the failing log' : 'the run failed before reporting it') : null,
      fixed: fixed?.metrics[key] !== undefined ? show(fixed.metrics[key]) + fixedTotal : '—',
      baseline: baseline?.metrics[key] !== undefined ? show(baseline.metrics[key]) + baseTotal : '—',
    });
  }
  const peak = (r: RunView | null) => (r && r.telemetry.length ? Math.max(...r.telemetry.map((s) => s.vram_used_gib)) : undefined);
  if ([failing, fixed, baseline].some((r) => peak(r) !== undefined)) {
    rows.push({ metric: 'peak GPU memory (telemetry)', unit: 'GiB', failing: show(peak(failing)), failingNote: peak(failing) === undefined ? 'no telemetry stored' : null, fixed: show(peak(fixed)), baseline: show(peak(baseline)) });
  }
  return rows;
}

export interface CostView {
  gpuSeconds: number; rate: number; dollars: number;
  manualHours: number; manualDollars: number; manualRate: number | null;
  source: 'simulated' | 'measured';
  /** seconds the processes really ran (CPU simulator or live) */
  processSeconds: number | null;
  runs: { heading: string; gpuSeconds: number | null; derived: boolean }[];
}

/** The cost section's figures, all from result.cost; the per-run breakdown from the recordings. */
export function costView(result: AgentResult, failing: RunView | null, attempts: RunView[], baseline: RunView | null): CostView | null {
  const c = result.cost;
  if (!c) return null;
  const counted = result.attempts.length ? [failing, ...attempts, baseline] : [failing];
  const present = counted.filter((r): r is RunView => !!r);
  const simulated = present.some((r) => r.simulatedMs !== null || r.provenance?.kind === 'simulated');
  const gpuOf = (r: RunView) => (r.simulatedMs ?? r.durationMs);
  const others = present.filter((r) => r.role !== 'failing');
  const othersSum = others.reduce((s, r) => s + (gpuOf(r) ?? 0), 0) / 1000;
  const runs = present.map((r) => {
    const own = gpuOf(r);
    if (r.role === 'failing' && r.simulatedMs === null && simulated) return { heading: r.heading, gpuSeconds: Math.max(0, c.gpuSeconds - othersSum), derived: true };
    return { heading: r.heading, gpuSeconds: own === null ? null : own / 1000, derived: false };
  });
  const durations = present.map((r) => r.durationMs);
  return {
    gpuSeconds: c.gpuSeconds, rate: c.dollarsPerGpuHour, dollars: c.dollars,
    manualHours: c.manualHours, manualDollars: c.manualDollars, manualRate: c.manualHours > 0 ? c.manualDollars / c.manualHours : null,
    source: simulated ? 'simulated' : 'measured',
    processSeconds: durations.every((d) => d !== null) ? (durations as number[]).reduce((s, d) => s + d, 0) / 1000 : null,
    runs,
  };
}
