/** An LLM explanation as the diagnosis card and the timeline's explain step show it. The stored
 * JSON (a run's diagnosis.explanation, a step's detail.explanation) is read defensively: anything
 * that is not an explanation shows nothing. */
import { NOT_CONFIGURED } from '../llm/explain.js';

export interface ExplanationView {
  /** llm: the model answered; none: it did not (reason says why); not_configured: no endpoint */
  state: 'llm' | 'none' | 'not_configured';
  reason: string;
  model: string;
  cached: boolean;
  latency: string;
  confidence: string;
  text: string;
  agrees: boolean;
  ruleCategory: string;
  modelCategory: string;
  stands: 'rules' | 'model';
  /** why that category stands, in a sentence */
  standsWhy: string;
  recommendation: string;
  adopted: boolean;
  notAdoptedReason: string;
}

interface RuleSide { category: string; alternatives?: readonly { category: string }[] }

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

const EMPTY: ExplanationView = {
  state: 'none', reason: '', model: '', cached: false, latency: '', confidence: '', text: '', agrees: true, ruleCategory: '',
  modelCategory: '', stands: 'rules', standsWhy: '', recommendation: '', adopted: false, notAdoptedReason: '',
};

export function explanationView(raw: unknown, rules: RuleSide | null | undefined): ExplanationView | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !rules) return null;
  const e = raw as Obj;
  const ruleCategory = str(rules.category);
  if (e.source === 'none') {
    const reason = str(e.reason) || 'no reason given';
    return { ...EMPTY, ruleCategory, state: reason === NOT_CONFIGURED ? 'not_configured' : 'none', reason };
  }
  if (e.source !== 'llm' || typeof e.text !== 'string' || typeof e.category !== 'string') return null;
  const agrees = e.agrees === true;
  const stands = e.category_stands === 'model' && !agrees ? 'model' : 'rules';
  const weighed = (rules.alternatives ?? []).some((a) => a.category === e.category);
  const standsWhy = agrees ? 'the model and the rules name the same category.'
    : stands === 'model' ? 'the rules weighed it as an alternative and the model cites the evidence lines for it.'
    : weighed ? 'the rules weighed the model’s category as an alternative, but the model cites no evidence line for it.'
    : 'the model’s category is not among the alternatives the rules weighed.';
  const latency = typeof e.latency_ms === 'number' && Number.isFinite(e.latency_ms) ? `${Math.round(e.latency_ms)} ms` : '—';
  const confidence = typeof e.confidence === 'number' && Number.isFinite(e.confidence) ? `${Math.round(e.confidence * 100)}%` : '—';
  const adopted = e.adopted === true;
  return {
    ...EMPTY, state: 'llm', model: str(e.model) || 'unknown model', cached: e.cached === true, latency, confidence,
    text: e.text, agrees, ruleCategory, modelCategory: e.category, stands, standsWhy,
    recommendation: str(e.recommended_fix), adopted,
    notAdoptedReason: adopted ? '' : str(e.not_adopted_reason).replace(/^not adopted:\s*/i, '') || 'it names no parameter ReplayLab knows',
  };
}
