import { normalizeKey } from '../diagnosis/run-config.js';
import type { Fix } from '../diagnosis/types.js';
import { isConcrete } from '../planner/patch-command.js';
import type { Params } from './types.js';

/** The scenario params with the fix's concrete changes applied. Only params the scenario has
 * are touched (a fix can not add a flag the experiment does not take); `items` and
 * `time_budget_s` are the planner's names for the load simulator's prompts / budget_s. */
const ALIASES: Record<string, string> = { time_budget_s: 'budget_s', items: 'prompts' };

export function applyFix(params: Params, fix: Fix | null): { params: Params; applied: string[] } {
  const out: Params = { ...params };
  const applied: string[] = [];
  for (const change of fix?.changes ?? []) {
    if (!isConcrete(change) || change.alternative) continue;
    const name = ALIASES[normalizeKey(change.param)] ?? normalizeKey(change.param);
    const key = Object.keys(out).find((k) => normalizeKey(k) === name);
    if (!key) continue;
    out[key] = change.to as string | number | boolean;
    applied.push(`${key}: ${params[key]} → ${change.to}`);
  }
  return { params: out, applied };
}
