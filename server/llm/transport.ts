/** One chat completion against an OpenAI-compatible server, streamed, inside a hard time budget.
 * The openai client does the HTTP (auth, one retry, errors); an AbortController and a timer bound
 * the whole exchange, the json_schema attempt, its fallback and the stream included. */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { Stream } from 'openai/core/streaming';
import { redact } from '../redact/redact.js';
import type { LlmConfig } from './config.js';
import type { ChatMessage } from './prompt.js';

export type Completion = { ok: true; content: string; schemaEnforced: boolean } | { ok: false; reason: string };

export interface CompleteRequest {
  config: LlmConfig;
  messages: ChatMessage[];
  /** the `response_format` to try first; on a 400/422 the request is repeated once without it */
  responseFormat: Record<string, unknown>;
  /** every piece of the model's output, in order, as it arrives */
  onContent: (delta: string) => void;
  /** ms left of the budget (the caller may have spent some already) */
  budgetMs: number;
}

const PLAIN_JSON_NOTE = '\nThe server cannot enforce the schema: reply with the bare JSON object only.';

interface ChunkLike { choices?: { delta?: { content?: string | null } }[] }
interface CompletionLike { choices?: { message?: { content?: string | null } }[] }

export async function complete(req: CompleteRequest): Promise<Completion> {
  const { config } = req;
  const controller = new AbortController();
  const budget = Math.max(1, Math.floor(req.budgetMs));
  const deadline = Date.now() + budget;
  const timeoutReason = `no answer from the LLM within ${config.timeoutMs} ms (LLM_TIMEOUT_MS)`;
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const expired = new Promise<Completion>((resolve) => {
    timer = setTimeout(() => { timedOut = true; controller.abort(); resolve({ ok: false, reason: timeoutReason }); }, budget);
  });
  const client = new OpenAI({ baseURL: config.baseUrl, apiKey: config.apiKey ?? 'unset', timeout: budget, maxRetries: 1 });

  const attempt = async (schema: boolean): Promise<string> => {
    const messages = schema ? req.messages : req.messages.map((m, i) => (i === 0 ? { ...m, content: m.content + PLAIN_JSON_NOTE } : m));
    const body = {
      model: config.model, messages, stream: true as const, temperature: 0, max_tokens: 700,
      ...(schema ? { response_format: req.responseFormat } : {}),
    } as OpenAI.Chat.ChatCompletionCreateParamsStreaming;
    const timeout = Math.max(1, deadline - Date.now());
    const response = await client.chat.completions.create(body, { signal: controller.signal, timeout, maxRetries: 1 }).asResponse();
    if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
      // a server that ignores `stream` answers with one JSON object
      const whole = (await response.json()) as CompletionLike;
      const content = whole.choices?.[0]?.message?.content ?? '';
      req.onContent(content);
      return content;
    }
    let content = '';
    // the stream aborts its own controller when it fails; `controller` ends the body in `finally`
    for await (const chunk of Stream.fromSSEResponse<ChunkLike>(response, new AbortController())) {
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) { content += delta; req.onContent(delta); }
    }
    return content;
  };

  const run = async (): Promise<Completion> => {
    try {
      return { ok: true, content: await attempt(true), schemaEnforced: true };
    } catch (e) {
      const rejected = e instanceof APIError && (e.status === 400 || e.status === 422) && !timedOut;
      if (!rejected) return { ok: false, reason: describe(e, config, timedOut, timeoutReason) };
    }
    try {
      return { ok: true, content: await attempt(false), schemaEnforced: false };
    } catch (e) {
      return { ok: false, reason: describe(e, config, timedOut, timeoutReason) };
    }
  };

  try {
    return await Promise.race([run(), expired]);
  } finally {
    clearTimeout(timer);
    controller.abort(); // ends a stream still open after a failure
  }
}

function causeCode(e: unknown): string | undefined {
  for (let c: unknown = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (c as { errors?: unknown[] }).errors; // AggregateError from happy eyeballs
    if (Array.isArray(errors) && typeof (errors[0] as { code?: unknown })?.code === 'string') return (errors[0] as { code: string }).code;
  }
  return undefined;
}

/** A reason a person can act on; redacted, since a server may echo what it was sent. */
export function describe(e: unknown, config: LlmConfig, timedOut: boolean, timeoutReason: string): string {
  const where = config.baseUrl;
  let reason: string;
  if (timedOut || e instanceof APIUserAbortError || e instanceof APIConnectionTimeoutError) reason = timeoutReason;
  else if (e instanceof APIConnectionError) {
    const code = causeCode(e);
    reason = code === 'ECONNREFUSED' ? `connection refused by the LLM server at ${where}`
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `the LLM server's host was not found (${where})`
      : `could not reach the LLM server at ${where}${code ? ` (${code})` : ''}`;
  } else if (e instanceof APIError && e.status !== undefined) {
    const detail = (e.message ?? '').replace(/^\d{3}\s*/, '').replace(/\s+/g, ' ').slice(0, 200);
    reason = `the LLM server answered HTTP ${e.status}${detail && detail !== 'status code (no body)' ? `: ${detail}` : ''}`;
  } else if (e instanceof SyntaxError) reason = `the LLM server's reply is not valid JSON (${e.message.slice(0, 120)})`;
  else reason = `the LLM request failed: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}`;
  return redact(reason).text;
}
