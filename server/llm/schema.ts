/** The answer the model must give: one JSON object, the same shape whether the server enforced
 * it (response_format json_schema) or only the prompt asked for it. We validate it either way. */
import { z } from 'zod';

export const ANSWER_FIELDS = ['root_cause', 'failure_category', 'explanation', 'recommended_fix', 'confidence'] as const;

/** The shape, with failure_category as any string: a category outside the taxonomy is told apart
 * from a malformed answer (the caller checks it against the taxonomy ids). */
export const answerShape = z.object({
  root_cause: z.string().trim().min(1).max(2000),
  failure_category: z.string().trim().min(1).max(100),
  explanation: z.string().trim().min(1).max(6000),
  recommended_fix: z.string().trim().max(2000),
  confidence: z.number().min(0).max(1),
});

export type Answer = z.infer<typeof answerShape>;

/** The full schema, failure_category restricted to the taxonomy's ids. */
export function answerSchema(taxonomyIds: readonly string[]) {
  if (taxonomyIds.length === 0) throw new Error('answerSchema: the taxonomy has no ids');
  return answerShape.extend({ failure_category: z.enum(taxonomyIds as [string, ...string[]]) });
}

/** JSON Schema for `response_format`. Written out rather than generated: strict mode needs every
 * field required and no extra properties, and number bounds are left to our own validation
 * because not every guided-decoding backend supports minimum/maximum. */
export function answerJsonSchema(taxonomyIds: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: [...ANSWER_FIELDS],
    properties: {
      root_cause: { type: 'string', description: 'one sentence: why the run failed' },
      failure_category: { type: 'string', enum: [...taxonomyIds], description: 'a taxonomy id; the rule category unless the evidence shows otherwise' },
      explanation: { type: 'string', description: '2-4 sentences for an engineer, citing evidence line numbers' },
      recommended_fix: { type: 'string', description: 'the concrete change: parameter or environment variable and its new value' },
      confidence: { type: 'number', description: 'from 0 to 1' },
    },
  };
}

export const RESPONSE_FORMAT_NAME = 'replaylab_explanation';

export function responseFormat(taxonomyIds: readonly string[]) {
  return {
    type: 'json_schema' as const,
    json_schema: { name: RESPONSE_FORMAT_NAME, strict: true, schema: answerJsonSchema(taxonomyIds) },
  };
}

export type ParsedAnswer = { ok: true; answer: Answer } | { ok: false; reason: string };

/** Reads the model's text as the answer object: tolerates a ```json fence or prose around the
 * object (models do that without json_schema), nothing else. */
export function parseAnswer(content: string, taxonomyIds: readonly string[]): ParsedAnswer {
  const text = content.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (text === '') return { ok: false, reason: 'the model returned an empty answer' };
  let raw: unknown;
  try {
    raw = JSON.parse(start >= 0 && end > start ? text.slice(start, end + 1) : text);
  } catch {
    return { ok: false, reason: `the model's answer is not valid JSON (starts with ${JSON.stringify(text.slice(0, 40))})` };
  }
  const parsed = answerShape.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`);
    return { ok: false, reason: `the model's answer does not match the schema (${issues.join('; ')})` };
  }
  if (!taxonomyIds.includes(parsed.data.failure_category)) {
    return { ok: false, reason: `the model named a category outside the taxonomy ("${parsed.data.failure_category.slice(0, 60)}")` };
  }
  return { ok: true, answer: parsed.data };
}
