import type { Diagnosis } from '../diagnosis/types.js';
import { EXAMPLES, type Example } from '../examples.js';
import type { RunRecord } from '../store/runs.js';
import { logView, type LogView } from './log-view.js';
import type { LiveMachine } from './live-machine.js';
import type { ScenarioCard } from './scenario-cards.js';
import type { ScenarioRunView } from './scenario-view.js';
import { EMPTY_VALUES, type FormErrors, type FormValues } from './run-form.js';
import { percent, redactionSummary, utcTime } from './view-helpers.js';

/** What the two columns of the page need: the form (left) and the status and result (right). */
export interface Workspace {
  values: FormValues;
  errors: FormErrors;
  status: string;
  examples: readonly Example[];
  activeExample: string | null;
  run: RunView | null;
  maxLogBytes: number;
  /** a line under the log box, e.g. why a long stored log is not repeated in it */
  logNote: string | null;
  /** the scenario cards above the form */
  scenarios: readonly ScenarioCard[];
  /** a scenario run's summary and timeline, in place of a diagnosis card */
  scenarioRun: ScenarioRunView | null;
  /** what live mode does on this machine (null: not probed yet) */
  machine: LiveMachine | null;
}

export interface RunView {
  id: string;
  path: string;
  permalink: string;
  created: string;
  createdIso: string;
  listed: boolean;
  status: string;
  title: string;
  d: Diagnosis | null;
  log: LogView;
  facts: [string, unknown][];
  redactions: string;
  artifacts: { name: string; size: number; href: string }[];
  config: string | null;
}

export const IDLE_STATUS = 'Paste a crash log or upload stderr, then choose Diagnose.';
export const ERROR_STATUS = 'Not diagnosed: see the message next to the field.';

export function workspace(maxLogBytes: number, parts: Partial<Workspace> = {}): Workspace {
  return { values: EMPTY_VALUES, errors: {}, status: IDLE_STATUS, examples: EXAMPLES, activeExample: null, run: null, maxLogBytes, logNote: null, scenarios: [], scenarioRun: null, machine: null, ...parts };
}

export function runView(run: RunRecord, origin: string): RunView {
  const d = (run.diagnosis ?? null) as Diagnosis | null;
  const path = `/runs/${run.id}`;
  return {
    id: run.id, path, permalink: `${origin}${path}`,
    created: utcTime(run.createdAt), createdIso: new Date(run.createdAt).toISOString(),
    listed: run.listed, status: run.status, title: run.title, d,
    log: logView(run.log, d?.evidence.map((e) => e.line) ?? []),
    facts: d ? Object.entries(d.facts) : [],
    redactions: redactionSummary(run.redactions),
    artifacts: run.artifacts.map((a) => ({ ...a, href: `${path}/artifacts/${encodeURIComponent(a.name)}` })),
    config: run.config,
  };
}

export function runStatus(run: RunView): string {
  const where = run.listed ? 'listed in the public history' : 'private: only people with the link can open it';
  if (!run.d) return `Run ${run.status}, no diagnosis stored · ${where}.`;
  return `Diagnosed ${run.d.category} (confidence ${percent(run.d.confidence)}) · saved ${run.created} · ${where}.`;
}

/** Logs up to this size are put back in the form on a run's page, ready to edit and re-run. */
const PREFILL_MAX = 256 * 1024;

export function runWorkspace(run: RunRecord, origin: string, maxLogBytes: number, scenarios: readonly ScenarioCard[] = []): Workspace {
  const view = runView(run, origin);
  const fits = run.log.length <= PREFILL_MAX;
  return workspace(maxLogBytes, {
    scenarios,
    run: view,
    status: runStatus(view),
    values: { log: fits ? run.log : '', config: run.config ?? '', listed: false },
    logNote: fits ? null : 'This run’s log is too long to repeat here; it is shown on the right.',
  });
}
