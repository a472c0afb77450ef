/** Step 5 of the loop: the LLM explains the rule diagnosis. The explanation's text is sent live,
 * as the model writes it, through `onToken` (progress updates of the same step, never stored);
 * the step itself ends once, like every other step. Never waits longer than the LLM timeout:
 * explainDiagnosis holds the whole exchange to it. */
import type { Diagnosis } from '../diagnosis/types.js';
import type { ExplanationCache } from '../llm/cache.js';
import type { LlmConfig } from '../llm/config.js';
import { explainDiagnosis, NOT_CONFIGURED, type Explanation } from '../llm/explain.js';
import type { StepProgress, StepStatus } from './types.js';

export interface ExplainStepDeps {
  config: LlmConfig | null;
  cache: ExplanationCache;
  taxonomyIds: string[];
  /** progress of the step (status 'running', detail.text growing), at most one per PROGRESS_MS */
  onToken?: (progress: StepProgress) => void;
}

export const EXPLAIN_TITLE = 'Explain with the LLM';
export const SKIPPED_NO_ENDPOINT = 'skipped: no LLM endpoint configured (LLM_BASE_URL is unset)';
/** Updates closer together than this are merged: every update re-renders the step for every viewer. */
export const PROGRESS_MS = 50;

export interface ExplainOutcome { status: StepStatus; summary: string; detail: Record<string, unknown>; explanation: Explanation | null }

/** Explains a failed run's diagnosis; `seq` and `startedAt` (performance.now) stamp the progress. */
export async function explainStep(diagnosis: Diagnosis, input: { log: string; config: unknown }, deps: ExplainStepDeps, seq: number, startedAt: number): Promise<ExplainOutcome> {
  if (!deps.config) return { status: 'skipped', summary: SKIPPED_NO_ENDPOINT, detail: {}, explanation: null };
  let text = '';
  let sentAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let over = false;
  const send = () => {
    timer = undefined;
    if (over || !deps.onToken) return;
    sentAt = performance.now();
    const progress: StepProgress = {
      seq, kind: 'explain', title: EXPLAIN_TITLE, status: 'running', startedAt, durationMs: Math.round(sentAt - startedAt),
      summary: `${deps.config!.model} is writing the explanation…`, detail: { text },
    };
    try { deps.onToken(progress); } catch { /* a viewer's failure is not the run's */ }
  };
  const onToken = (piece: string) => {
    text += piece;
    if (over || timer) return;
    const wait = sentAt + PROGRESS_MS - performance.now();
    if (wait <= 0) send();
    else timer = setTimeout(send, wait);
  };
  let explanation: Explanation;
  try {
    explanation = await explainDiagnosis(diagnosis, input, { config: deps.config, cache: deps.cache, taxonomyIds: deps.taxonomyIds, onToken });
  } finally {
    over = true;
    clearTimeout(timer);
  }
  return outcome(explanation, diagnosis);
}

function outcome(e: Explanation, d: Diagnosis): ExplainOutcome {
  if (e.source === 'none') {
    if (e.reason === NOT_CONFIGURED) return { status: 'skipped', summary: SKIPPED_NO_ENDPOINT, detail: { explanation: e }, explanation: e };
    return { status: 'warning', summary: `no explanation: ${e.reason}; the rule diagnosis stands`, detail: { explanation: e }, explanation: e };
  }
  const how = `${e.model}${e.cached ? ' (cached)' : ''}, ${Math.round(e.latency_ms)} ms`;
  const verdict = e.agrees
    ? `agrees with the rules (${d.category})`
    : `disagrees: the model says ${e.category}, the rules ${d.category}; ${e.category_stands === 'model' ? "the model's category stands (an alternative the rules weighed, and it cites the evidence)" : "the rules' category stands"}`;
  const rules = { category: d.category, alternatives: d.alternatives.map((a) => ({ category: a.category, confidence: a.confidence })) };
  return { status: 'ok', summary: `${how}: ${verdict}`, detail: { explanation: e, text: e.text, rules }, explanation: e };
}

