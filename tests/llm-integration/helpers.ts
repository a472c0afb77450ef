/** The whole app wired to the loopback fake OpenAI server (tests/llm/fake-openai.ts), on a fresh
 * in-memory database with the real migrations, so the explanation cache is the llm_cache table. */
import { createApp, resolveDeps } from '../../server/app.js';
import type { ScenarioRunner } from '../../server/agent/run-registry.js';
import { readConfig } from '../../server/config.js';
import type { LlmConfig } from '../../server/llm/config.js';
import { openDb } from '../../server/store/db.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';
import type { FakeRequest, Reply } from '../llm/fake-openai.js';

export const MODEL = 'Qwen/Qwen2.5-7B-Instruct';

export const llmConfig = (baseUrl: string | null, timeoutMs = 5000): LlmConfig | null =>
  baseUrl === null ? null : { baseUrl, model: MODEL, apiKey: 'test-key', timeoutMs };

export function llmApp(opts: { baseUrl: string | null; timeoutMs?: number; runner?: ScenarioRunner; env?: NodeJS.ProcessEnv }) {
  const store = openDb(':memory:');
  const deps = resolveDeps({
    config: readConfig(opts.env ?? {}), taxonomy: builtinTaxonomy(), db: store.db, runner: opts.runner,
    llm: { config: llmConfig(opts.baseUrl, opts.timeoutMs) },
  });
  return { app: createApp(deps), deps, db: store.db, close: store.close };
}

/** The rules' category as the prompt states it ("category: <id>"). */
export function ruleCategory(req: FakeRequest): string {
  const prompt = String(req.body.messages?.[1]?.content ?? '');
  return /^category: (\S+)$/m.exec(prompt)?.[1] ?? 'unknown';
}

export const EXPLANATION = 'Line 6 shows the allocation that failed: the step asked for more memory than the GPU had left, so the rules are right.';

/** A schema-valid answer; by default it agrees with the rules and recommends a known parameter. */
export function answer(req: FakeRequest, over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    root_cause: 'The run asked for more than the GPU or the model allows.',
    failure_category: ruleCategory(req),
    explanation: EXPLANATION,
    recommended_fix: 'Apply the computed change to batch_size or max_model_len.',
    confidence: 0.8,
    ...over,
  });
}

/** A script for startFakeOpenAI: every request gets an agreeing answer, streamed in pieces. */
export const agreeing = (chunks = 8, chunkDelayMs = 0) => (req: FakeRequest): Reply => ({ content: answer(req), chunks, chunkDelayMs });

export async function postJson(app: ReturnType<typeof createApp>, path: string, body: unknown): Promise<Response> {
  return app.request(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
}
