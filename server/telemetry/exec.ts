import { spawn, type ChildProcess } from 'node:child_process';

/** Runs a program and reports what happened; never throws or rejects, so a missing or wedged GPU
 * tool is an ordinary result. Telemetry code takes one of these as an argument, which is how the
 * tests replace the GPU. */
export type Exec = (file: string, args: string[], opts: { timeoutMs: number }) => Promise<ExecResult>;

export interface ExecResult {
  /** the exit code; null when the program did not run or did not exit by itself */
  code: number | null;
  stdout: string;
  stderr: string;
  /** why there is no exit code: 'not found', 'timed out after N ms', 'killed by SIGTERM', … */
  error?: string;
}

export interface ExecOptions {
  /** the child's environment (default: this process's); its PATH is also where `file` is looked
   * up, which is how tests point the real exec at fake nvidia-smi scripts */
  env?: NodeJS.ProcessEnv;
  /** stdout/stderr cap; past it the program is killed (default 1 MiB — smi output is a few KiB) */
  maxBuffer?: number;
}

/** The real Exec, on child_process.spawn without a shell (arguments are never interpreted),
 * output capped, and a timeout that SIGKILLs the program's whole process group. Not execFile:
 * execFile does not pass `detached` on, and without its own process group a wrapper script's child
 * survives the kill and holds the pipes open. On timeout we also stop waiting for the pipes, since
 * a tool stuck in the driver (uninterruptible sleep) cannot be killed at all. */
export function createExec(options: ExecOptions = {}): Exec {
  const maxBuffer = options.maxBuffer ?? 1024 * 1024;
  return (file, args, { timeoutMs }) =>
    new Promise<ExecResult>((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let child: ChildProcess;
      const finish = (r: ExecResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const abandon = (error: string) => {
        killGroup(child);
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish({ code: null, stdout: '', stderr: '', error });
      };
      try {
        // detached: the child leads its own process group, so a kill reaches its children too.
        // The cost: a terminal's Ctrl-C no longer reaches the tool, which ends by itself anyway.
        child = spawn(file, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, windowsHide: true });
      } catch (err) {
        // spawn throws synchronously on invalid arguments (e.g. a NUL byte in one)
        finish({ code: null, stdout: '', stderr: '', error: `could not start: ${(err as Error).message}` });
        return;
      }
      const out = { stdout: '', stderr: '', bytes: 0 };
      for (const stream of ['stdout', 'stderr'] as const) {
        child[stream]?.setEncoding('utf8');
        child[stream]?.on('data', (chunk: string) => {
          out[stream] += chunk;
          out.bytes += Buffer.byteLength(chunk);
          if (out.bytes > maxBuffer) abandon(`output over ${maxBuffer} bytes`);
        });
      }
      child.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') finish({ code: null, stdout: '', stderr: '', error: 'not found' });
        else if (err.code === 'EACCES') finish({ code: null, stdout: '', stderr: '', error: 'not executable' });
        else finish({ code: null, stdout: out.stdout, stderr: out.stderr, error: err.message });
      });
      child.on('close', (code, signal) => {
        if (code !== null) finish({ code, stdout: out.stdout, stderr: out.stderr });
        else finish({ code: null, stdout: out.stdout, stderr: out.stderr, error: `killed by ${signal ?? 'a signal'}` });
      });
      timer = setTimeout(() => abandon(`timed out after ${timeoutMs} ms`), timeoutMs);
    });
}

/** The real Exec with this process's environment. */
export const realExec: Exec = createExec();

function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // the group is already gone; the child itself may still be there
    try { child.kill('SIGKILL'); } catch { /* nothing left to kill */ }
  }
}
