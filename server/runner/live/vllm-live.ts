import { createServer } from 'node:net';
import type { LiveSpec } from '../../agent/scenario.js';
import type { Params } from '../../agent/types.js';
import type { OutputLine } from '../output-lines.js';
import { paramFlags } from '../param-flags.js';
import { exitStatus, startChild, type LiveChild } from './child.js';
import { runBenchmark, runLoad, type CompletionServer } from './workload.js';

/** The vLLM flags a scenario param may become; anything else (the simulator's `gpu`) is not passed. */
const VLLM_FLAGS = ['max_model_len', 'gpu_memory_utilization', 'block_size', 'max_num_seqs', 'tensor_parallel_size', 'dtype'] as const;
const READY = /Application startup complete|Uvicorn running on/;

export interface VllmLiveRun { exitCode: number; timedOut: boolean; metrics: Record<string, unknown>; argv: string[] }

/** A free loopback port for the server (it binds it a moment later; a clash fails loudly). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Polls vLLM's GET /health until it answers 200 (the ready line can come a moment before the
 * server accepts requests behind a proxy or a slow bind). */
async function healthy(baseUrl: string, timeoutMs: number, signal: AbortSignal): Promise<boolean> {
  for (const end = performance.now() + timeoutMs; performance.now() < end && !signal.aborted;) {
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]) });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch { /* not accepting yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

/** `vllm serve MODEL --max-model-len N ...` from the scenario's params (model positional). */
export function vllmArgv(server: Params, port: number): string[] {
  return ['vllm', 'serve', String(server.model), ...paramFlags(server, VLLM_FLAGS), '--host', '127.0.0.1', '--port', String(port)];
}

/** Figures vLLM prints at start-up, read from its log (as the planner reads them): only those
 * it printed (an engine that logs no KV cache size leaves kv_cache_tokens unset, not 0). */
export function vllmLogFigures(lines: readonly OutputLine[]): { kv_cache_tokens?: number; kv_cache_gib?: number; max_model_len?: number } {
  const find = (re: RegExp) => { for (const l of lines) { const m = re.exec(l.line); if (m) return m[1]; } return undefined; };
  const tokens = find(/GPU KV cache size: ([\d,]+) tokens/);
  const gib = find(/Available KV cache memory: (-?[\d.]+) GiB/);
  const maxLen = find(/Using max model len (\d+)/);
  return {
    ...(tokens ? { kv_cache_tokens: Number(tokens.replace(/,/g, '')) } : {}),
    ...(gib ? { kv_cache_gib: Number(gib) } : {}),
    ...(maxLen ? { max_model_len: Number(maxLen) } : {}),
  };
}

/** Starts a real vLLM server, waits for start-up (or its failure), runs the workload against it,
 * then stops it. The exit status is the experiment's: the server's own when it failed to start,
 * the workload's once it ran (0, or 124 past the load's budget), 124 when start-up timed out. */
export async function runVllmLive(live: Extract<LiveSpec, { kind: 'vllm-serve' }>, params: Params, o: { env: NodeJS.ProcessEnv; signal: AbortSignal; onLine: (l: OutputLine) => void }): Promise<VllmLiveRun & { child: LiveChild }> {
  const server = { ...params, ...live.server };
  const port = await freePort();
  const argv = vllmArgv(server, port);
  const child = startChild(argv, { env: o.env, onLine: o.onLine });
  const started = performance.now();
  const print = (stream: OutputLine['stream'], line: string) => {
    const l = { t_ms: Math.round(performance.now() - started), stream, line };
    child.lines.push(l);
    o.onLine(l);
  };
  const ready = await child.waitForLine(READY, live.startup_timeout_s * 1000, o.signal);
  const metrics: Record<string, unknown> = { started: ready === 'matched', max_model_len: server.max_model_len ?? null, gpu_memory_utilization: server.gpu_memory_utilization ?? null };
  if (ready !== 'matched') {
    if (ready === 'timeout') print('stderr', `replaylab: vLLM did not finish starting within ${live.startup_timeout_s} s; stopping it`);
    const exit = ready === 'exited' ? await child.exited : await child.stop(10_000);
    Object.assign(metrics, vllmLogFigures(child.lines), { tokens_per_s: 0, error: ready === 'timeout' ? 'startup_timeout' : 'startup_failed' });
    return { exitCode: ready === 'timeout' ? 124 : exitStatus(exit), timedOut: ready === 'timeout', metrics, argv, child };
  }
  const target: CompletionServer = { baseUrl: `http://127.0.0.1:${port}`, model: String(server.model) };
  if (!(await healthy(target.baseUrl, 60_000, o.signal))) print('stderr', 'replaylab: the server said it started but /health did not answer 200 within 60 s; sending the workload anyway');
  let exitCode = 0;
  if (live.workload.kind === 'benchmark') {
    const r = await runBenchmark(target, { prompts: live.workload.prompts, maxTokens: live.workload.max_tokens, print, signal: o.signal });
    Object.assign(metrics, r);
    if (r.error) exitCode = o.signal.aborted ? 130 : 1;
  } else {
    const r = await runLoad(target, { prompts: Number(params.prompts), budgetS: Number(params.budget_s), concurrency: Number(params.concurrency ?? 1), maxTokens: live.workload.max_tokens, print, signal: o.signal });
    Object.assign(metrics, r);
    exitCode = r.stopped ? 130 : r.error ? 1 : r.within_budget ? 0 : 124;
  }
  await child.stop();
  Object.assign(metrics, vllmLogFigures(child.lines));
  print('stdout', JSON.stringify(metrics));
  return { exitCode, timedOut: exitCode === 124, metrics, argv, child };
}
