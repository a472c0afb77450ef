import type { ScenarioRunResult } from '../agent/run-registry.js';
import type { Scenario } from '../agent/scenario.js';
import type { ReportInput } from '../report/report-data.js';
import type { RunRecord } from '../store/runs.js';
import type { StepEvent } from '../agent/types.js';

/** Why a run has no report (yet): not a scenario run, still running, or it stopped before the end. */
export type ReportRefusal = 'not_found' | 'running';

/** What the report writers take, from a stored scenario run: its steps as the timeline shows them
 * and the result the registry stored when the last step was done (with the failing run in full). */
export function runReportInput(
  run: RunRecord,
  steps: StepEvent[],
  scenarios: readonly Scenario[],
  generatedAt: Date,
): { ok: true; input: ReportInput } | { ok: false; why: ReportRefusal } {
  if (run.kind !== 'scenario') return { ok: false, why: 'not_found' };
  if (run.status === 'running') return { ok: false, why: 'running' };
  const result = run.status === 'done' ? asResult(run.result) : null;
  // failed or interrupted: the loop never produced a result, so there is nothing to report
  if (!result) return { ok: false, why: 'not_found' };
  const scenario = scenarios.find((s) => s.id === run.scenarioId);
  return {
    ok: true,
    input: {
      // a scenario file removed since the run still has its id and the run's title
      scenario: scenario
        ? { id: scenario.id, title: scenario.title, summary: scenario.summary }
        : { id: run.scenarioId ?? 'unknown', title: run.title, summary: '' },
      runId: run.id,
      events: steps,
      result,
      generatedAt,
      failing: result.failing ?? undefined,
    },
  };
}

function asResult(v: unknown): ScenarioRunResult | null {
  if (!v || typeof v !== 'object') return null;
  const r = v as Partial<ScenarioRunResult>;
  return typeof r.verdict === 'string' && Array.isArray(r.attempts) ? (v as ScenarioRunResult) : null;
}
