import { spawn } from 'node:child_process';
import { lineSplitter, type OutputLine } from '../output-lines.js';

const MAX_OUTPUT = 8 * 1024 * 1024;

export interface ChildExit { code: number | null; signal: NodeJS.Signals | null }

/** A long-running program started by a live run (a vLLM server, a training script): its output
 * as stamped lines, its exit, and a way to stop it and everything it spawned. */
export interface LiveChild {
  readonly pid: number | undefined;
  readonly lines: OutputLine[];
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<ChildExit>;
  /** resolves 'matched' at the first line matching `re` (already printed or still to come),
   * 'exited' if the program ends first, 'timeout' after `timeoutMs`, 'aborted' on `signal` */
  waitForLine(re: RegExp, timeoutMs: number, signal?: AbortSignal): Promise<'matched' | 'exited' | 'timeout' | 'aborted'>;
  /** SIGINT to the whole process group (vLLM shuts its engine down on it), SIGTERM after
   * `graceMs`, SIGKILL after as long again; resolves once the program has exited */
  stop(graceMs?: number): Promise<ChildExit>;
}

/** Starts argv[0] (no shell: arguments are never re-parsed) in its own process group, so a stop
 * also reaches the engine processes vLLM forks. */
export function startChild(argv: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; onLine?: (l: OutputLine) => void }): LiveChild {
  const started = performance.now();
  const lines: OutputLine[] = [];
  const listeners = new Set<(l: OutputLine) => void>();
  let out = '';
  let err = '';
  const emit = (l: OutputLine) => {
    lines.push(l);
    opts.onLine?.(l);
    for (const f of listeners) f(l);
  };
  const child = spawn(argv[0], argv.slice(1), { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const outLines = lineSplitter('stdout', started, emit);
  const errLines = lineSplitter('stderr', started, emit);
  child.stdout.setEncoding('utf8').on('data', (d: string) => { if (out.length < MAX_OUTPUT) { out += d; outLines.push(d); } });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { if (err.length < MAX_OUTPUT) { err += d; errLines.push(d); } });
  let done = false;
  const exited = new Promise<ChildExit>((resolve) => {
    child.on('error', (e) => { done = true; emit({ t_ms: Math.round(performance.now() - started), stream: 'stderr', line: `replaylab: could not start ${argv[0]}: ${e.message}` }); resolve({ code: 127, signal: null }); });
    child.on('close', (code, signal) => { done = true; outLines.end(); errLines.end(); resolve({ code, signal }); });
  });
  const signalGroup = (sig: NodeJS.Signals) => {
    if (done || child.pid === undefined) return;
    try { process.kill(-child.pid, sig); } catch { try { child.kill(sig); } catch { /* already gone */ } }
  };
  return {
    pid: child.pid,
    lines,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForLine(re, timeoutMs, signal) {
      if (lines.some((l) => re.test(l.line))) return Promise.resolve('matched');
      return new Promise((resolve) => {
        const finish = (r: 'matched' | 'exited' | 'timeout' | 'aborted') => {
          clearTimeout(timer);
          listeners.delete(onLine);
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        };
        const onLine = (l: OutputLine) => { if (re.test(l.line)) finish('matched'); };
        const onAbort = () => finish('aborted');
        const timer = setTimeout(() => finish('timeout'), timeoutMs);
        listeners.add(onLine);
        signal?.addEventListener('abort', onAbort, { once: true });
        if (signal?.aborted) finish('aborted');
        void exited.then(() => finish('exited'));
      });
    },
    async stop(graceMs = 30_000) {
      signalGroup('SIGINT');
      const escalate = (sig: NodeJS.Signals, ms: number) => new Promise<void>((r) => { const t = setTimeout(() => { signalGroup(sig); r(); }, ms); void exited.then(() => { clearTimeout(t); r(); }); });
      await escalate('SIGTERM', graceMs);
      await escalate('SIGKILL', graceMs);
      return exited;
    },
  };
}
