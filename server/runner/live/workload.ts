/** The work a live run sends to a vLLM server it started: requests to its OpenAI-compatible
 * completions API, timed here. Lines are printed in the formats of the simulators' harness
 * (bench.py) so the same taxonomy and planner read a live run and a simulated one alike. */

export interface CompletionServer { baseUrl: string; model: string }
type Print = (stream: 'stdout' | 'stderr', line: string) => void;

/** A prompt that keeps the model busy for exactly max_tokens (ignore_eos): every request is the
 * same amount of work, so a rate measured on some of them predicts the rest. */
const HEAVY_PROMPT = 'You are reviewing a GPU cluster incident. Explain, step by step and in detail, how a vLLM server '
  + 'accounts for GPU memory at start-up (weights, activation peak, KV cache blocks), how max_model_len and '
  + 'gpu_memory_utilization interact, and how an operator would size both for a 7B model on one GPU.';

interface Completed { tokens: number; seconds: number }

async function complete(server: CompletionServer, maxTokens: number, signal: AbortSignal, timeoutMs: number): Promise<Completed> {
  const started = performance.now();
  const res = await fetch(`${server.baseUrl}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: server.model, prompt: HEAVY_PROMPT, max_tokens: maxTokens, temperature: 0, ignore_eos: true }),
    signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST /v1/completions: HTTP ${res.status} ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as { usage?: { completion_tokens?: number } };
  return { tokens: body.usage?.completion_tokens ?? 0, seconds: (performance.now() - started) / 1000 };
}

/** One short untimed request first: a server's first request can pay for lazy set-up (CUDA
 * graphs, the tokenizer), which is not the rate a run would see. Its failure is the workload's. */
async function warmUp(server: CompletionServer, signal: AbortSignal): Promise<void> {
  await complete(server, 8, signal, 300_000);
}

export interface BenchmarkResult { prompts_done: number; tokens_per_s: number; error: string | null }

/** One request at a time, like the simulator's benchmark: per-stream tokens/s. */
export async function runBenchmark(server: CompletionServer, o: { prompts: number; maxTokens: number; print: Print; signal: AbortSignal }): Promise<BenchmarkResult> {
  let tokens = 0;
  let seconds = 0;
  let done = 0;
  try {
    await warmUp(server, o.signal);
    for (let i = 1; i <= o.prompts; i++) {
      const r = await complete(server, o.maxTokens, o.signal, 300_000);
      tokens += r.tokens;
      seconds += r.seconds;
      done = i;
      o.print('stdout', `request ${i}/${o.prompts}: ${r.tokens} completion tokens in ${r.seconds.toFixed(3)} s (${(r.tokens / r.seconds).toFixed(1)} tokens/s)`);
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    o.print('stderr', `benchmark: request ${done + 1} failed: ${message}`);
    return { prompts_done: done, tokens_per_s: seconds ? Number((tokens / seconds).toFixed(1)) : 0, error: message };
  }
  return { prompts_done: done, tokens_per_s: seconds ? Number((tokens / seconds).toFixed(1)) : 0, error: null };
}

export interface LoadResult { items_done: number; items_total: number; elapsed_s: number; budget_s: number; concurrency: number; within_budget: boolean; error: string | null; stopped: boolean }

/** `prompts` heavy prompts on `concurrency` streams; like bench.py, the client checks its budget
 * after each completion and stops once past it (so a run can end a little after the budget). */
export async function runLoad(server: CompletionServer, o: { prompts: number; budgetS: number; concurrency: number; maxTokens: number; print: Print; signal: AbortSignal }): Promise<LoadResult> {
  try {
    await warmUp(server, o.signal);
  } catch (e) {
    const error = o.signal.aborted ? null : e instanceof Error ? e.message : String(e);
    if (error) o.print('stderr', `benchmark: the warm-up request failed: ${error}`);
    return { items_done: 0, items_total: o.prompts, elapsed_s: 0, budget_s: o.budgetS, concurrency: o.concurrency, within_budget: false, error, stopped: o.signal.aborted };
  }
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const stop = new AbortController();
  const signal = AbortSignal.any([o.signal, stop.signal]);
  let next = 0;
  let done = 0;
  let error: string | null = null;
  o.print('stderr', `INFO bench: ${o.prompts} prompts, concurrency ${o.concurrency}, time budget ${o.budgetS} s`);
  const worker = async () => {
    while (next < o.prompts && !signal.aborted) {
      next++;
      try {
        const r = await complete(server, o.maxTokens, signal, (o.budgetS + 60) * 1000);
        done++;
        o.print('stdout', `prompt ${done}/${o.prompts} done in ${r.seconds.toFixed(2)} s (elapsed ${elapsed().toFixed(2)} s)`);
      } catch (e) {
        if (!signal.aborted) { error = e instanceof Error ? e.message : String(e); stop.abort(); }
        return;
      }
      if (elapsed() > o.budgetS) stop.abort();
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, o.prompts) }, worker));
  const total = elapsed();
  const within = done === o.prompts && total <= o.budgetS;
  o.print('stderr', `benchmark: completed ${done}/${o.prompts} in ${total.toFixed(1)} s (budget ${o.budgetS} s)`);
  // a Stop is not the budget running out: say so, and let the runner report it as stopped
  if (o.signal.aborted) o.print('stderr', 'benchmark: stopped');
  else if (error) o.print('stderr', `benchmark: a request failed: ${error}`);
  else if (!within) o.print('stderr', `TimeoutError: benchmark exceeded its time budget of ${o.budgetS} s`);
  return { items_done: done, items_total: o.prompts, elapsed_s: Number(total.toFixed(2)), budget_s: o.budgetS, concurrency: o.concurrency, within_budget: within, error, stopped: o.signal.aborted };
}
