import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Exec, ExecResult } from '../../server/telemetry/index.js';

/** Outputs written for these tests in the real tools' formats (tests/fixtures/telemetry/). */
export const FIXTURES = fileURLToPath(new URL('../fixtures/telemetry/', import.meta.url));
export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

export const ok = (stdout: string): ExecResult => ({ code: 0, stdout, stderr: '' });
export const exited = (code: number, stdout: string, stderr = ''): ExecResult => ({ code, stdout, stderr });
export const notFound: ExecResult = { code: null, stdout: '', stderr: '', error: 'not found' };

export interface Call { file: string; args: string[]; timeoutMs: number }

/** A fake Exec: `answer` decides what each program "prints"; every call is recorded in `calls`. */
export function fakeExec(answer: (file: string, args: string[]) => ExecResult | Promise<ExecResult>): Exec & { calls: Call[] } {
  const calls: Call[] = [];
  const exec = async (file: string, args: string[], opts: { timeoutMs: number }) => {
    calls.push({ file, args, timeoutMs: opts.timeoutMs });
    return answer(file, args);
  };
  return Object.assign(exec, { calls });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** GiB from MiB and bytes, spelled out so an expected value is visibly the fixture's number. */
export const mib = (n: number) => n / 1024;
export const bytes = (n: number) => n / 2 ** 30;
