import type { RunConfig } from '../diagnosis/run-config.js';
import type { CompiledPattern, EvidenceLine, FactValue, Facts, FixChange } from '../diagnosis/types.js';

export interface PlanContext {
  category: string;
  pattern: CompiledPattern;
  /** facts from the log, filled in from the config where the log is silent */
  facts: Facts;
  config: RunConfig;
  evidence: EvidenceLine[];
  /** the evidence and the last lines of the log, as text: what rules look for words in */
  text: string;
}

/** What a rule computes. `changes` carry their arithmetic in `why`; `rootCause` is the specific
 * sentence for this log (the pattern's explanation is the general one). */
export interface PlanResult {
  rootCause?: string;
  summary?: string;
  changes: FixChange[];
  env?: Record<string, string>;
  risks?: string[];
  /** numbers the rule derived (e.g. derived_max_model_len from a config), added to the facts */
  derived?: Facts;
}

export type PlanRule = (ctx: PlanContext) => PlanResult | null;

export const num = (v: FactValue | undefined | unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined;

export const fmt = (x: number, places = 2): string => {
  const r = Number(x.toFixed(places));
  return Math.abs(r) >= 10000 ? r.toLocaleString('en-US') : String(r);
};
