import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli.js';
import type { Diagnosis } from '../../server/diagnosis/types.js';
import { VLLM_COMMAND, VLLM_CONTEXT_TOO_LONG, VLLM_CONTEXT_TOO_LONG_LINE } from '../fixtures/crash-logs.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SEVERITIES = ['critical', 'high', 'medium', 'warning', 'info'];

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'replaylab-cli-'));
  writeFileSync(file('vllm.log'), VLLM_CONTEXT_TOO_LONG);
  writeFileSync(file('empty.log'), '');
  writeFileSync(file('serve.sh'), `${VLLM_COMMAND}\n`);
  writeFileSync(file('broken.json'), '{ broken json: [');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process with collected output, as the `replaylab` binary would. */
async function cli(argv: string[], stdin: string | Buffer[] = '') {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdin: Readable.from(typeof stdin === 'string' ? [Buffer.from(stdin)] : stdin),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env: {},
  });
  return { code, stdout, stderr };
}

function expectContract(d: Diagnosis): void {
  expect(typeof d.category).toBe('string');
  expect(SEVERITIES).toContain(d.severity);
  expect(typeof d.title).toBe('string');
  expect(typeof d.root_cause).toBe('string');
  expect(Array.isArray(d.evidence)).toBe(true);
  for (const e of d.evidence) {
    expect(Number.isInteger(e.line)).toBe(true);
    expect(typeof e.text).toBe('string');
  }
  expect(d.facts).toBeTypeOf('object');
  expect(d.fix === null || typeof d.fix === 'object').toBe(true);
  expect(d.confidence).toBeGreaterThanOrEqual(0);
  expect(d.confidence).toBeLessThanOrEqual(1);
  expect(Array.isArray(d.alternatives)).toBe(true);
}

describe('replaylab: usage', () => {
  it('--help prints the usage and exits 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage:');
    expect(r.stdout).toContain('replaylab diagnose');
  });

  it('exits 1 with no arguments', async () => {
    expect((await cli([])).code).toBe(1);
  });

  it('exits 1 on an unknown command and names it', async () => {
    const r = await cli(['diagnoze', 'x.log']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('diagnoze');
  });

  it('exits 1 when diagnose is given no file', async () => {
    const r = await cli(['diagnose', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FILE');
  });

  it('exits 1 on an unknown option', async () => {
    expect((await cli(['diagnose', '--jsn', file('vllm.log')])).code).toBe(1);
  });
});

describe('replaylab diagnose', () => {
  it('--json prints the contract object', async () => {
    const r = await cli(['diagnose', '--json', file('vllm.log')]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as Diagnosis;
    expectContract(d);
    expect(d.category).toBe('context_length_exceeded');
    expect(d.facts.max_model_len).toBe(65536);
    expect(d.fix?.changes).toContainEqual(expect.objectContaining({ param: 'max_model_len', to: 32768 }));
  });

  it('prints a readable report by default: category, root cause and the evidence line number', async () => {
    const r = await cli(['diagnose', file('vllm.log')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('context_length_exceeded');
    expect(r.stdout).toContain('Root cause:');
    expect(r.stdout).toMatch(new RegExp(`^\\s*${VLLM_CONTEXT_TOO_LONG_LINE} \\| .*User-specified max_model_len`, 'm'));
  });

  it('reads the log from standard input with -', async () => {
    const r = await cli(['diagnose', '--json', '-'], VLLM_CONTEXT_TOO_LONG);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as Diagnosis;
    expect(d.category).toBe('context_length_exceeded');
    expect(d.evidence.map((e) => e.line)).toContain(VLLM_CONTEXT_TOO_LONG_LINE);
  });

  it('--config with a command line gives the fixed command', async () => {
    const r = await cli(['diagnose', '--json', file('vllm.log'), '--config', file('serve.sh')]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as Diagnosis;
    expect(d.fix?.command).toContain('--max-model-len 32768');
    expect(d.fix?.command).not.toContain('65536');
    expect(d.fix?.command).not.toContain('VLLM_ALLOW_LONG_MAX_MODEL_LEN');
  });

  it('gives the same diagnosis for a file and for the same log on stdin', async () => {
    const fromFile = JSON.parse((await cli(['diagnose', '--json', file('vllm.log')])).stdout) as Diagnosis;
    const fromStdin = JSON.parse((await cli(['diagnose', '--json', '-'], VLLM_CONTEXT_TOO_LONG)).stdout) as Diagnosis;
    expect(fromStdin).toEqual(fromFile);
  });

  it('keeps line numbers right when stdin arrives in chunks that cut lines in two', async () => {
    const bytes = Buffer.from(VLLM_CONTEXT_TOO_LONG);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 97) }, (_, i) => bytes.subarray(i * 97, (i + 1) * 97));
    const d = JSON.parse((await cli(['diagnose', '--json', '-'], chunks)).stdout) as Diagnosis;
    expect(d.category).toBe('context_length_exceeded');
    expect(d.evidence.map((e) => e.line)).toContain(VLLM_CONTEXT_TOO_LONG_LINE);
  });

  it('finds the failure after a 3 MB line in a file, on the right line', async () => {
    writeFileSync(file('long-line.log'), `(APIServer pid=2150) INFO 11-19 14:07:28 [api_server.py:1896] starting\n${'x'.repeat(3 * 1024 * 1024 + 17)}\n${VLLM_CONTEXT_TOO_LONG}`);
    const r = await cli(['diagnose', '--json', file('long-line.log')]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as Diagnosis;
    expect(d.category).toBe('context_length_exceeded');
    expect(d.evidence.map((e) => e.line)).toContain(VLLM_CONTEXT_TOO_LONG_LINE + 2);
  });

  it('says no_failure for an empty file and exits 0', async () => {
    const r = await cli(['diagnose', '--json', file('empty.log')]);
    expect(r.code, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout) as Diagnosis;
    expectContract(d);
    expect(d.category).toBe('no_failure');
    expect(d.fix).toBeNull();
  });
});

describe('replaylab diagnose: unreadable input exits 2', () => {
  it('names a missing log file', async () => {
    const missing = file('no-such.log');
    const r = await cli(['diagnose', '--json', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    expect(r.stdout).toBe('');
  });

  it('names a missing --config file', async () => {
    const missing = file('no-such-config.yaml');
    const r = await cli(['diagnose', file('vllm.log'), '--config', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
  });

  it('refuses a config file that is neither JSON, YAML nor a command line', async () => {
    const r = await cli(['diagnose', file('vllm.log'), '--config', file('broken.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config/);
    expect(r.stdout).toBe('');
  });

  it('reports a broken config without crashing when the log file is missing too', async () => {
    // the log file must not be opened and left to fail later with an unhandled 'error' event
    const uncaught: unknown[] = [];
    const record = (e: unknown) => uncaught.push(e);
    process.prependListener('uncaughtException', record);
    try {
      const r = await cli(['diagnose', file('no-such.log'), '--config', file('broken.json')]);
      expect(r.code).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      process.removeListener('uncaughtException', record);
    }
    expect(uncaught.map(String)).toEqual([]);
  });
});

describe('the replaylab process', () => {
  it('reads stdin, prints JSON and exits 0 (server/cli-main.ts)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli-main.ts', 'diagnose', '--json', '-'], {
      cwd: REPO_ROOT,
      env: { ...process.env, REPLAYLAB_TAXONOMY_DIR: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    child.stdin.end(VLLM_CONTEXT_TOO_LONG);
    const code = await exited;
    expect(code, stderr).toBe(0);
    const d = JSON.parse(stdout) as Diagnosis;
    expectContract(d);
    expect(d.category).toBe('context_length_exceeded');
  });
});

describe('replaylab scenario and record', () => {
  it('live mode on a machine without a GPU says so, runs the simulators and recovers', async () => {
    const r = await cli(['scenario', 'vllm-kv-cache', '--mode', 'live']);
    expect(r.stderr).toContain('live mode: no GPU: nvidia-smi, amd-smi and rocm-smi not found — live runs use the CPU simulators');
    expect(r.stdout).toContain('[6/9] ok   Plan the smallest fix');
    expect(r.stdout).toContain('gpu_memory_utilization: 0.08 → 0.1');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('verdict: recovered');
    expect(r.code).toBe(0);
  }, 60_000);

  it('record takes --mode live or simulator, nothing else', async () => {
    const r = await cli(['record', 'vllm-kv-cache', '--mode', 'replay']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('replaylab: --mode is live or simulator\n');
  });
});
