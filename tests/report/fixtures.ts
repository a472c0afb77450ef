import { agentLoop, type AgentDeps } from '../../server/agent/loop.js';
import { loadScenarios, type Scenario } from '../../server/agent/scenario.js';
import type { AgentResult, ExperimentResult, StepEvent } from '../../server/agent/types.js';
import { loadTaxonomy } from '../../server/diagnosis/taxonomy-loader.js';
import type { Taxonomy } from '../../server/diagnosis/types.js';
import type { ReportInput } from '../../server/report/report-data.js';
import { runSimulator } from '../../server/runner/simulator-runner.js';

let taxonomy: Taxonomy | null = null;

export const scenarios = (): Scenario[] => loadScenarios();

export interface LoopRun { scenario: Scenario; events: StepEvent[]; result: AgentResult; failing: ExperimentResult | undefined }

/** Runs the real agent loop over the CPU simulators (fast clock) and keeps everything a report
 * needs: the step events, the result, and the failing run (which the result does not keep). */
export async function runLoop(scenario: Scenario, opts: { deps?: Partial<AgentDeps>; transform?: (r: ExperimentResult) => ExperimentResult } = {}): Promise<LoopRun> {
  taxonomy ??= loadTaxonomy();
  let failing: ExperimentResult | undefined;
  const deps: AgentDeps = {
    taxonomy,
    run: async (params, label) => {
      const raw = await runSimulator(scenario, params, label, { timeScale: 0.005 });
      const r = opts.transform ? opts.transform(raw) : raw;
      if (label === 'failing') failing = r;
      return r;
    },
    dollarsPerGpuHour: 1.99, manualDebugHours: 2, engineerDollarsPerHour: 75,
    ...opts.deps,
  };
  const gen = agentLoop(scenario, scenario.params, deps);
  const events: StepEvent[] = [];
  for (;;) {
    const r = await gen.next();
    if (r.done) return { scenario, events, result: r.value, failing };
    events.push(r.value);
  }
}

export function reportInput(run: LoopRun, withFailing = true): ReportInput {
  return {
    scenario: { id: run.scenario.id, title: run.scenario.title, summary: run.scenario.summary },
    runId: `test-${run.scenario.id}`,
    // the report is rendered from what the store gives back: JSON, not live objects
    events: JSON.parse(JSON.stringify(run.events)) as StepEvent[],
    result: JSON.parse(JSON.stringify(run.result)) as AgentResult,
    generatedAt: new Date('2025-01-02T03:04:05Z'),
    failing: withFailing ? run.failing : undefined,
  };
}
