/** Where the LLM sidecar sends its requests, read from the environment. No LLM_BASE_URL means no
 * explanation step at all: the caller shows it as skipped, never as an error. */

export interface LlmConfig {
  /** an OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1 (vLLM) or the HF router's /v1 */
  baseUrl: string;
  model: string;
  /** null when neither LLM_API_KEY nor HF_TOKEN is set (a local vLLM needs none) */
  apiKey: string | null;
  /** the whole budget of one explanation: connection, retries, the stream; nothing waits longer */
  timeoutMs: number;
}

export const DEFAULT_LLM_MODEL = 'Qwen/Qwen2.5-7B-Instruct';
export const DEFAULT_LLM_TIMEOUT_MS = 8000;
/** A typo such as LLM_TIMEOUT_MS=80000000 must not let a request hang for a day. */
const MAX_TIMEOUT_MS = 120_000;

const value = (env: Record<string, string | undefined>, name: string): string | undefined => {
  const v = env[name]?.trim();
  return v ? v : undefined;
};

export function readLlmConfig(env: Record<string, string | undefined> = process.env): LlmConfig | null {
  const baseUrl = value(env, 'LLM_BASE_URL');
  if (!baseUrl) return null;
  const timeout = Number(value(env, 'LLM_TIMEOUT_MS'));
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    model: value(env, 'LLM_MODEL') ?? DEFAULT_LLM_MODEL,
    apiKey: value(env, 'LLM_API_KEY') ?? value(env, 'HF_TOKEN') ?? null,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? Math.min(Math.round(timeout), MAX_TIMEOUT_MS) : DEFAULT_LLM_TIMEOUT_MS,
  };
}
