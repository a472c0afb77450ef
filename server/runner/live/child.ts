import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { lineSplitter, type OutputLine } from '../output-lines.js';

const MAX_OUTPUT = 8 * 1024 * 1024;
/** after the program exits, how long its output may still drain from a descendant's pipe */
const DRAIN_MS = 2_000;

export interface ChildExit { code: number | null; signal: NodeJS.Signals | null }

/** The exit status a shell would report: the code, or 128 + the signal (137: SIGKILL, e.g. the
 * kernel's out-of-memory killer), so the diagnosis sees the same number a person would. */
export function exitStatus(exit: ChildExit): number {
  if (exit.code !== null) return exit.code;
  return exit.signal ? 128 + (constants.signals[exit.signal] ?? 0) : 1;
}

/** Process groups of live programs still running: killed if this process exits first (a crash,
 * process.exit), so no vLLM server outlives the run that started it. */
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
});

/** A long-running program started by a live run (a vLLM server, a training script): its output
 * as stamped lines, its exit, and a way to stop it and everything it spawned. */
export interface LiveChild {
  readonly pid: number | undefined;
  readonly lines: OutputLine[];
  readonly exited: Promise<ChildExit>;
  /** resolves 'matched' at the first line matching `re` (already printed or still to come),
   * 'exited' if the program ends first, 'timeout' after `timeoutMs`, 'aborted' on `signal` */
  waitForLine(re: RegExp, timeoutMs: number, signal?: AbortSignal): Promise<'matched' | 'exited' | 'timeout' | 'aborted'>;
  /** SIGINT to the whole process group (vLLM shuts its engine down on it), SIGTERM after
   * `graceMs`, SIGKILL after as long again; resolves once the program has exited, or a few
   * seconds after SIGKILL even if it has not (a process stuck in the driver must not hold the
   * run, or the GPU lock, forever) */
  stop(graceMs?: number): Promise<ChildExit>;
}

/** Starts argv[0] (no shell: arguments are never re-parsed) in its own process group, so a stop
 * also reaches the engine processes vLLM forks. */
export function startChild(argv: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; onLine?: (l: OutputLine) => void }): LiveChild {
  const started = performance.now();
  const lines: OutputLine[] = [];
  const listeners = new Set<(l: OutputLine) => void>();
  let bytes = 0;
  const emit = (l: OutputLine) => {
    lines.push(l);
    opts.onLine?.(l);
    for (const f of listeners) f(l);
  };
  const child = spawn(argv[0], argv.slice(1), { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (child.pid !== undefined) running.add(child.pid);
  const outLines = lineSplitter('stdout', started, emit);
  const errLines = lineSplitter('stderr', started, emit);
  const take = (split: typeof outLines) => (d: string) => { if (bytes < MAX_OUTPUT) { bytes += d.length; split.push(d); } };
  child.stdout.setEncoding('utf8').on('data', take(outLines));
  child.stderr.setEncoding('utf8').on('data', take(errLines));
  let done = false;
  // 'exit', not 'close': a descendant outside the group could hold the pipes open for ever
  const exited = new Promise<ChildExit>((resolve) => {
    const finish = (exit: ChildExit) => {
      done = true;
      if (child.pid !== undefined) running.delete(child.pid);
      outLines.end();
      errLines.end();
      resolve(exit);
    };
    child.on('error', (e) => {
      emit({ t_ms: Math.round(performance.now() - started), stream: 'stderr', line: `replaylab: could not start ${argv[0]}: ${e.message}` });
      finish({ code: 127, signal: null });
    });
    child.on('exit', (code, signal) => {
      const drained = new Promise<void>((r) => child.once('close', () => r()));
      const timer = new Promise<void>((r) => setTimeout(r, DRAIN_MS).unref());
      void Promise.race([drained, timer]).then(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish({ code, signal });
      });
    });
  });
  const signalGroup = (sig: NodeJS.Signals) => {
    if (done || child.pid === undefined) return;
    try { process.kill(-child.pid, sig); } catch { try { child.kill(sig); } catch { /* already gone */ } }
  };
  const within = (ms: number) => new Promise<'late'>((r) => setTimeout(() => r('late'), ms).unref());
  return {
    pid: child.pid,
    lines,
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
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
        signalGroup(sig);
        if ((await Promise.race([exited, within(sig === 'SIGKILL' ? 5_000 : graceMs)])) !== 'late') break;
      }
      const exit = await Promise.race([exited, within(0)]);
      return exit === 'late' ? { code: null, signal: 'SIGKILL' } : exit;
    },
  };
}
