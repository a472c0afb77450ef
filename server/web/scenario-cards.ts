import { editableParams, PARAM_BOUNDS } from '../agent/run-request.js';
import type { Scenario } from '../agent/scenario.js';

/** A scenario as its card on the home page shows it: what fails, the failing command, the Run
 * button, and the numeric params a person may change under "Advanced". */
export interface ScenarioCard {
  id: string;
  title: string;
  summary: string;
  command: string;
  simulator: string;
  params: { name: string; value: number; min: number; max: number; step: string }[];
}

export function scenarioCards(scenarios: readonly Scenario[]): ScenarioCard[] {
  return scenarios.map((s) => ({
    id: s.id,
    title: s.title,
    summary: s.summary.trim(),
    command: s.command,
    simulator: s.simulator,
    params: editableParams(s).map((name) => {
      const b = PARAM_BOUNDS[name];
      return { name, value: s.params[name] as number, min: b.min, max: b.max, step: b.int ? '1' : 'any' };
    }),
  }));
}
