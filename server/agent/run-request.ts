import { z } from 'zod';
import { RUN_MODES, type RunMode } from '../store/schema.js';
import type { Scenario } from './scenario.js';
import type { Params } from './types.js';

/** The numeric params a request may override, with sane bounds. Anything else a scenario holds
 * (the model, the GPU, and above all the command) comes only from the scenario file. */
export const PARAM_BOUNDS: Record<string, { min: number; max: number; int: boolean }> = {
  max_model_len: { min: 1, max: 1_048_576, int: true },
  gpu_memory_utilization: { min: 0.01, max: 1, int: false },
  batch_size: { min: 1, max: 4096, int: true },
  gradient_accumulation_steps: { min: 1, max: 4096, int: true },
  prompts: { min: 1, max: 1000, int: true },
  budget_s: { min: 1, max: 3600, int: false },
  concurrency: { min: 1, max: 256, int: true },
};

export interface RunRequest { scenario: Scenario; mode: RunMode; params: Params }
export type ParsedRunRequest = { ok: true; request: RunRequest } | { ok: false; error: string };

const body = z.strictObject({
  scenario: z.string().max(100),
  mode: z.enum(RUN_MODES).optional(),
  params: z.record(z.string().max(100), z.unknown()).optional(),
});

/** Checks a JSON body `{ scenario, mode?, params? }` against the scenarios on disk. */
export function parseRunRequest(input: unknown, scenarios: readonly Scenario[]): ParsedRunRequest {
  const parsed = body.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue.path.join('.') || 'body'}: ${issue.message}` };
  }
  const scenario = scenarios.find((s) => s.id === parsed.data.scenario);
  if (!scenario) return { ok: false, error: `unknown scenario "${parsed.data.scenario}"; GET /api/scenarios lists them` };
  const params = overrideParams(scenario, parsed.data.params ?? {});
  if (!params.ok) return params;
  return { ok: true, request: { scenario, mode: parsed.data.mode ?? 'live', params: params.params } };
}

/** The scenario's params with the overrides applied: only params the scenario already has and
 * that are numeric there, each a finite number (or a numeric string, as a form sends) in bounds. */
export function overrideParams(scenario: Scenario, overrides: Record<string, unknown>): { ok: true; params: Params } | { ok: false; error: string } {
  const params: Params = { ...scenario.params };
  for (const [name, raw] of Object.entries(overrides)) {
    const bounds = Object.hasOwn(PARAM_BOUNDS, name) ? PARAM_BOUNDS[name] : undefined;
    if (!bounds || typeof scenario.params[name] !== 'number') {
      return { ok: false, error: `params.${name}: not a numeric parameter of scenario "${scenario.id}" (it takes ${editableParams(scenario).join(', ') || 'none'})` };
    }
    const value = typeof raw === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
    const check = (bounds.int ? z.number().int() : z.number()).min(bounds.min).max(bounds.max);
    const ok = check.safeParse(value);
    if (!ok.success) {
      return { ok: false, error: `params.${name}: must be ${bounds.int ? 'an integer' : 'a number'} from ${bounds.min} to ${bounds.max}` };
    }
    params[name] = ok.data;
  }
  return { ok: true, params };
}

/** The params of a scenario a person may edit (under "Advanced"), with their bounds. */
export function editableParams(scenario: Scenario): string[] {
  return Object.keys(scenario.params).filter((k) => Object.hasOwn(PARAM_BOUNDS, k) && typeof scenario.params[k] === 'number');
}
