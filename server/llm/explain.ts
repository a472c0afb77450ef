/** The explanation step: asks an OpenAI-compatible model to explain the rule diagnosis, held to a
 * JSON schema, and decides what of its answer to show and adopt. Never throws and never waits
 * longer than the configured timeout: every failure becomes `{ source: 'none', reason }` and the
 * rule diagnosis stands. */
import { performance } from 'node:perf_hooks';
import type { Diagnosis } from '../diagnosis/types.js';
import { cacheKey, validCached, type ExplanationCache } from './cache.js';
import type { LlmConfig } from './config.js';
import { decideAgreement, reviewFix } from './policy.js';
import { buildPrompt, type PromptInput } from './prompt.js';
import { parseAnswer, responseFormat, type Answer } from './schema.js';
import { JsonFieldStream } from './stream-field.js';
import { complete } from './transport.js';

export interface LlmExplanation {
  source: 'llm';
  model: string;
  /** the model's explanation, the text streamed to onToken */
  text: string;
  /** the model's category; `category_stands` says whether it or the rules' one is shown as the verdict */
  category: string;
  agrees: boolean;
  category_stands: 'rules' | 'model';
  root_cause: string;
  confidence: number;
  recommended_fix: string;
  /** false: the recommendation is shown as the model's, the rules' fix stays the fix */
  adopted: boolean;
  /** why it was not adopted (unsafe, names no known parameter) */
  not_adopted_reason?: string;
  cached: boolean;
  latency_ms: number;
}
export type Explanation = LlmExplanation | { source: 'none'; reason: string };

export interface ExplainDeps {
  config: LlmConfig | null;
  taxonomyIds: string[];
  cache: ExplanationCache;
  /** the explanation's text, piece by piece, as the model writes it (once, whole, on a cache hit) */
  onToken?: (text: string) => void;
  /** ms; performance.now by default */
  now?: () => number;
}

export const NOT_CONFIGURED = 'no LLM endpoint configured (set LLM_BASE_URL to an OpenAI-compatible server)';

const none = (reason: string): Explanation => ({ source: 'none', reason });
const ms = (t: number) => Math.round(t * 10) / 10;

export async function explainDiagnosis(diagnosis: Diagnosis, input: PromptInput, deps: ExplainDeps): Promise<Explanation> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const { config } = deps;
  if (!config) return none(NOT_CONFIGURED);
  if (deps.taxonomyIds.length === 0) return none('no taxonomy ids to hold the answer to');
  let finished = false; // no token after the answer (a chunk may still be buffered when time runs out)
  const onToken = (text: string) => { if (!finished) try { deps.onToken?.(text); } catch { /* the listener's failure is not ours */ } };
  try {
    const prompt = buildPrompt(diagnosis, input, { taxonomyIds: deps.taxonomyIds });
    const key = cacheKey({
      model: config.model, promptVersion: prompt.promptVersion,
      taxonomyVersion: diagnosis.stats?.taxonomy_version ?? 'unknown', evidenceHash: prompt.evidenceHash,
    });
    const hit = validCached(await Promise.resolve().then(() => deps.cache.get(key)).catch(() => null));
    if (hit && deps.taxonomyIds.includes(hit.answer.failure_category)) {
      onToken(hit.answer.explanation);
      return present(diagnosis, hit.answer, hit.model, true, ms(now() - started));
    }
    const field = new JsonFieldStream('explanation', onToken);
    const result = await complete({
      config, messages: prompt.messages, responseFormat: responseFormat(deps.taxonomyIds),
      onContent: (delta) => field.push(delta),
      budgetMs: config.timeoutMs - (now() - started),
    });
    if (!result.ok) return none(result.reason);
    const parsed = parseAnswer(result.content, deps.taxonomyIds);
    if (!parsed.ok) return none(parsed.reason);
    await Promise.resolve().then(() => deps.cache.set(key, { model: config.model, answer: parsed.answer, created_at: Date.now() })).catch(() => undefined);
    return present(diagnosis, parsed.answer, config.model, false, ms(now() - started));
  } catch (e) {
    return none(`the explanation step failed: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`);
  } finally {
    finished = true;
  }
}

function present(d: Diagnosis, answer: Answer, model: string, cached: boolean, latency: number): LlmExplanation {
  const agreement = decideAgreement(d, answer);
  const review = reviewFix(d, answer.recommended_fix);
  return {
    source: 'llm', model, text: answer.explanation, category: answer.failure_category,
    agrees: agreement.agrees, category_stands: agreement.categoryStands,
    root_cause: answer.root_cause, confidence: answer.confidence,
    recommended_fix: answer.recommended_fix, adopted: review.adopted,
    ...(review.reason ? { not_adopted_reason: review.reason } : {}),
    cached, latency_ms: latency,
  };
}
