import type { StepEvent, StepProgress, StepStatus } from '../agent/types.js';
import { explanationView, type ExplanationView } from './explanation-view.js';
import { factValue } from './view-helpers.js';

/** One step of the timeline as the step partial shows it (the page and the stream alike). The
 * loop's `detail` is loosely typed JSON; this is the one place that reads it. */
export interface StepView {
  seq: number;
  anchor: string;
  kind: string;
  title: string;
  /** 'running': a step still in progress, streamed live (the explanation as the model writes it) */
  status: StepStatus | 'running';
  icon: string;
  label: string;
  duration: string;
  /** 0–100 in steps of 5: the duration against the longest step known when rendering */
  bar: number;
  summary: string;
  /** text shown under the summary, outside the details (the LLM's explanation, growing while it streams) */
  lead: string | null;
  open: boolean;
  blocks: StepBlock[];
}

export interface RunBlock { heading: string; command: string; exit: string; duration: string; provenance: { label: string; text: string } | null; metrics: [string, string][]; tail: string }

export type StepBlock =
  | ({ type: 'run' } & RunBlock)
  | { type: 'evidence'; lines: { line: number; text: string }[] }
  | { type: 'facts'; heading: string; rows: [string, string][] }
  | { type: 'changes'; summary: string; changes: { param: string; from: string; to: string; why: string; alternative: boolean }[]; applied: string[]; command: string | null }
  | { type: 'checks'; checks: { metric: string; expected: string; actual: string; ok: boolean }[]; gaveUp: string[] }
  | { type: 'list'; heading: string; items: string[] }
  | { type: 'explanation'; x: ExplanationView };

const STATUS: Record<StepStatus | 'running', { icon: string; label: string }> = {
  running: { icon: '…', label: 'Running' },
  ok: { icon: '✓', label: 'Done' },
  failed: { icon: '✗', label: 'Failed' },
  warning: { icon: '!', label: 'Warning' },
  skipped: { icon: '–', label: 'Skipped' },
};

const PROVENANCE: Record<string, string> = { simulated: 'Simulated', reconstructed: 'Reconstructed', live: 'Recorded live' };

export function stepView(step: StepEvent | StepProgress, longestMs: number): StepView {
  const s = STATUS[step.status] ?? STATUS.warning;
  const longest = Math.max(longestMs, step.durationMs);
  return {
    seq: step.seq, anchor: `step-${step.seq}`, kind: step.kind, title: step.title, status: step.status,
    icon: s.icon, label: s.label, duration: duration(step.durationMs),
    bar: longest > 0 ? Math.max(step.durationMs > 0 ? 5 : 0, Math.round((step.durationMs / longest) * 20) * 5) : 0,
    summary: step.summary,
    lead: step.kind === 'explain' && typeof step.detail.text === 'string' && step.detail.text ? step.detail.text : null,
    open: step.status === 'failed' || step.status === 'warning',
    blocks: blocks(step),
  };
}

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : factValue(v));

function blocks(step: StepEvent | StepProgress): StepBlock[] {
  const d = step.detail;
  switch (step.kind) {
    case 'record':
      return d.run ? [runBlock(d.run, 'The failing run')] : [];
    case 'match': {
      const items = arr(d.candidates).map(obj).map((c) => `${str(c.category)} (score ${str(c.score)})${c.suppressed_by ? `, set aside for ${str(c.suppressed_by)}` : ''}`);
      return [{ type: 'list', heading: 'Patterns that fired', items: items.length ? items : ['none'] }];
    }
    case 'diagnose': {
      const diagnosis = obj(d.diagnosis);
      const out: StepBlock[] = [];
      if (step.evidence?.length) out.push({ type: 'evidence', lines: step.evidence.map((e) => ({ line: e.line, text: e.text.trim().slice(0, 300) })) });
      const facts = Object.entries(obj(diagnosis.facts)).map(([k, v]): [string, string] => [k, factValue(v)]);
      if (facts.length) out.push({ type: 'facts', heading: 'Facts read from the log and the command', rows: facts });
      return out;
    }
    case 'plan': {
      const fix = obj(d.fix);
      // an alternative ("or keep the budget and run fewer items") is shown, marked, but never applied
      const changes = arr(fix.changes).map(obj).map((c) => ({ param: str(c.param), from: factValue(c.from), to: factValue(c.to), why: str(c.why ?? ''), alternative: c.alternative === true }));
      if (!changes.length && !d.applied) return [];
      return [{ type: 'changes', summary: str(fix.summary ?? ''), changes, applied: arr(d.applied).map(str), command: typeof fix.command === 'string' ? fix.command : null }];
    }
    case 'rerun':
      return arr(d.attempts).map((a, i, all) => runBlock(a, all.length > 1 ? `Attempt ${i + 1}` : 'The re-run with the fix'));
    case 'verify': {
      const v = obj(d.verification);
      const out: StepBlock[] = [{
        type: 'checks',
        checks: arr(v.checks).map(obj).map((c) => ({ metric: str(c.metric), expected: str(c.expected), actual: str(c.actual), ok: c.ok === true })),
        gaveUp: arr(v.gaveUp).map(obj).map((g) => `${str(g.param)}: ${factValue(g.from)} → ${factValue(g.to)}`),
      }];
      if (d.baseline) out.push(runBlock(d.baseline, 'The baseline run'));
      return out;
    }
    case 'explain': {
      // the rules' side (category and alternatives) says which category stands and why
      const rules = obj(d.rules);
      const alternatives = arr(rules.alternatives).map(obj).map((a) => ({ category: str(a.category) }));
      const x = step.status === 'running' ? null : explanationView(d.explanation, { category: str(rules.category ?? ''), alternatives });
      return x?.state === 'llm' ? [{ type: 'explanation', x }] : [];
    }
    case 'report': {
      const cost = obj(d.cost);
      const rows: [string, string][] = Object.entries(cost).map(([k, v]) => [k, factValue(v)]);
      return rows.length ? [{ type: 'facts', heading: 'Cost, computed from the runs’ durations', rows }] : [];
    }
    default:
      return [];
  }
}

function runBlock(raw: unknown, heading: string): StepBlock {
  const r = obj(raw);
  const prov = obj(r.provenance);
  const metrics = Object.entries(obj(r.metrics)).map(([k, v]): [string, string] => [k, factValue(v)]);
  return {
    type: 'run', heading, command: str(r.command ?? ''),
    exit: `${str(r.exit_code)}${r.timed_out === true ? ' (timed out)' : ''}`,
    duration: typeof r.duration_ms === 'number' ? duration(r.duration_ms) : '—',
    provenance: prov.text ? { label: PROVENANCE[str(prov.kind)] ?? str(prov.kind), text: str(prov.text) } : null,
    metrics, tail: str(r.stderr_tail ?? ''),
  };
}
