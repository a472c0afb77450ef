import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { readConfig } from '../../server/config.js';
import type { Diagnosis } from '../../server/diagnosis/types.js';
import { TORCH_CUDA_OOM, VLLM_COMMAND, VLLM_ENGINE_CORE_PREFIXED, VLLM_CONTEXT_TOO_LONG, VLLM_CONTEXT_TOO_LONG_LINE } from '../fixtures/crash-logs.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

const MiB = 1024 * 1024;
const SEVERITIES = ['critical', 'high', 'medium', 'warning', 'info'];

function appWith(env: NodeJS.ProcessEnv = {}) {
  return createApp({ config: readConfig(env), taxonomy: builtinTaxonomy() });
}

const app = appWith();

function post(body: BodyInit, contentType?: string, target = app) {
  const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
  return target.request('/api/diagnose', { method: 'POST', headers, body });
}

const postJson = (value: unknown, target = app) => post(JSON.stringify(value), 'application/json', target);

/** Every answer the API gives must keep the contract in DESIGN.md. */
function expectContract(d: Diagnosis): void {
  expect(typeof d.category).toBe('string');
  expect(d.category.length).toBeGreaterThan(0);
  expect(SEVERITIES).toContain(d.severity);
  expect(typeof d.title).toBe('string');
  expect(typeof d.root_cause).toBe('string');
  expect(Array.isArray(d.evidence)).toBe(true);
  for (const e of d.evidence) {
    expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
    expect(typeof e.text).toBe('string');
  }
  expect(d.facts).toBeTypeOf('object');
  expect(d.facts).not.toBeNull();
  if (d.fix !== null) {
    expect(typeof d.fix.summary).toBe('string');
    expect(Array.isArray(d.fix.changes)).toBe(true);
    expect(d.fix.env).toBeTypeOf('object');
  }
  expect(d.confidence).toBeGreaterThanOrEqual(0);
  expect(d.confidence).toBeLessThanOrEqual(1);
  expect(Array.isArray(d.alternatives)).toBe(true);
  for (const a of d.alternatives) {
    expect(typeof a.category).toBe('string');
    expect(a.confidence).toBeGreaterThanOrEqual(0);
    expect(a.confidence).toBeLessThanOrEqual(1);
  }
}

async function diagnosisOf(res: Response): Promise<Diagnosis> {
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const d = (await res.json()) as Diagnosis;
  expectContract(d);
  return d;
}

async function expectError(res: Response, status: number): Promise<{ error: string; field?: string }> {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = (await res.json()) as { error: unknown; field?: string };
  expect(typeof body.error).toBe('string');
  expect((body.error as string).length).toBeGreaterThan(0);
  return body as { error: string; field?: string };
}

describe('POST /api/diagnose: a JSON body', () => {
  it.each([
    ['a PyTorch CUDA OOM', TORCH_CUDA_OOM],
    ['a vLLM engine core error', VLLM_ENGINE_CORE_PREFIXED],
  ])('answers %s with every field of the diagnosis contract', async (_name, log) => {
    const d = await diagnosisOf(await postJson({ log }));
    expect(d.evidence.length).toBeGreaterThan(0);
  });

  it('diagnoses max_model_len above the derived maximum as context_length_exceeded, with the numbers from the log', async () => {
    const d = await diagnosisOf(await postJson({ log: VLLM_CONTEXT_TOO_LONG }));
    expect(d.category).toBe('context_length_exceeded');
    expect(d.facts.max_model_len).toBe(65536);
    expect(d.evidence.map((e) => e.line)).toContain(VLLM_CONTEXT_TOO_LONG_LINE);
    expect(d.fix).not.toBeNull();
    expect(d.fix!.changes).toContainEqual(expect.objectContaining({ param: 'max_model_len', to: 32768 }));
  });

  it('patches the command line given as config, without the unsafe override', async () => {
    const d = await diagnosisOf(await postJson({ log: VLLM_CONTEXT_TOO_LONG, config: VLLM_COMMAND }));
    expect(d.category).toBe('context_length_exceeded');
    expect(d.fix?.command).toContain('--max-model-len 32768');
    expect(d.fix?.command).not.toContain('65536');
    expect(d.fix?.command).not.toContain('VLLM_ALLOW_LONG_MAX_MODEL_LEN');
  });

  it('accepts the config as an object', async () => {
    const d = await diagnosisOf(await postJson({ log: VLLM_CONTEXT_TOO_LONG, config: { model: 'Qwen/Qwen2.5-7B-Instruct', max_model_len: 65536 } }));
    expect(d.fix!.changes).toContainEqual(expect.objectContaining({ param: 'max_model_len', from: 65536, to: 32768 }));
  });
});

describe('POST /api/diagnose: other body shapes', () => {
  it('takes the raw log as text/plain', async () => {
    const d = await diagnosisOf(await post(VLLM_CONTEXT_TOO_LONG, 'text/plain; charset=utf-8'));
    expect(d.category).toBe('context_length_exceeded');
  });

  it('takes a multipart upload with the files "stderr" and "config"', async () => {
    const form = new FormData();
    form.append('stderr', new File([VLLM_CONTEXT_TOO_LONG], 'stderr.log', { type: 'text/plain' }));
    form.append('config', new Blob([VLLM_COMMAND], { type: 'text/plain' }), 'cmd.txt');
    const d = await diagnosisOf(await app.request('/api/diagnose', { method: 'POST', body: form }));
    expect(d.category).toBe('context_length_exceeded');
    expect(d.fix?.command).toContain('--max-model-len 32768');
  });

  it('keeps a log with stray invalid UTF-8 bytes and still diagnoses it', async () => {
    const bytes = Buffer.concat([Buffer.from('progress \xff\xfe\xc3 junk\n', 'latin1'), Buffer.from(VLLM_CONTEXT_TOO_LONG)]);
    const d = await diagnosisOf(await post(bytes, 'text/plain'));
    expect(d.category).toBe('context_length_exceeded');
    expect(d.evidence.map((e) => e.line)).toContain(VLLM_CONTEXT_TOO_LONG_LINE + 1);
  });
});

describe('POST /api/diagnose: bad requests get a JSON error', () => {
  it('400 on malformed JSON', async () => {
    await expectError(await post('{"log": "oops', 'application/json'), 400);
  });

  it('400 when "log" is missing', async () => {
    await expectError(await postJson({ config: VLLM_COMMAND }), 400);
  });

  it('400 when the log is empty or blank', async () => {
    await expectError(await postJson({ log: '' }), 400);
    await expectError(await postJson({ log: '  \n\n' }), 400);
    await expectError(await post('', 'text/plain'), 400);
  });

  it('400 on a multipart upload without a log, or with a binary one', async () => {
    const noLog = new FormData();
    noLog.append('config', new Blob([VLLM_COMMAND]), 'cmd.txt');
    await expectError(await app.request('/api/diagnose', { method: 'POST', body: noLog }), 400);
    const binary = new FormData();
    binary.append('stderr', new Blob([new Uint8Array(2048)]), 'core.dump');
    await expectError(await app.request('/api/diagnose', { method: 'POST', body: binary }), 400);
  });

  it('400 when config is neither an object nor a string', async () => {
    await expectError(await postJson({ log: TORCH_CUDA_OOM, config: ['--max-model-len', '32768'] }), 400);
    await expectError(await postJson({ log: TORCH_CUDA_OOM, config: 32768 }), 400);
  });

  it('400 naming the field when the config string cannot be read', async () => {
    const body = await expectError(await postJson({ log: TORCH_CUDA_OOM, config: '{ broken json: [' }), 400);
    expect(body.field).toBe('config');
  });

  it('415 on a content type it does not read', async () => {
    await expectError(await post('<log>CUDA out of memory</log>', 'application/xml'), 415);
  });

  it('413 when the log is over the configured limit', async () => {
    const small = appWith({ REPLAYLAB_MAX_LOG_BYTES: '1000' });
    const log = `${'INFO loading shard\n'.repeat(100)}${TORCH_CUDA_OOM}`;
    await expectError(await postJson({ log }, small), 413);
    await expectError(await post(log, 'text/plain', small), 413);
  });

  it('413 when the whole request body is far over the limit', async () => {
    const small = appWith({ REPLAYLAB_MAX_LOG_BYTES: '1000' });
    await expectError(await post('x'.repeat(200_000), 'text/plain', small), 413);
  });

  it('400 on a binary body (NUL bytes)', async () => {
    const binary = Buffer.alloc(4096);
    binary.write('\x7fELF\x02\x01\x01', 0, 'latin1');
    await expectError(await post(binary, 'text/plain'), 400);
  });

  it('404 JSON for an unknown API path', async () => {
    await expectError(await app.request('/api/nope', { method: 'POST' }), 404);
  });
});

describe('POST /api/diagnose: very long lines', () => {
  const big = appWith({ REPLAYLAB_MAX_LOG_BYTES: String(16 * MiB) });

  it('diagnoses a 5 MB log that is a single line with no newline', async () => {
    const line = `INFO tokens: [${'151643, '.repeat(Math.ceil((5 * MiB) / 8))}]`;
    expect(line.length).toBeGreaterThan(5 * MiB);
    const d = await diagnosisOf(await post(line, 'text/plain', big));
    expect(d.category).not.toBe('context_length_exceeded');
  });

  it('finds the failure after a 2 MB line, with the right line number', async () => {
    const huge = `(APIServer pid=2150) DEBUG 11-19 14:07:29 [utils.py:41] request body: ${'a'.repeat(2 * MiB)}`;
    const log = `(APIServer pid=2150) INFO 11-19 14:07:28 [api_server.py:1896] vLLM API server version 0.10.1.1\n${huge}\n${VLLM_CONTEXT_TOO_LONG}`;
    const d = await diagnosisOf(await post(log, 'text/plain', big));
    expect(d.category).toBe('context_length_exceeded');
    expect(d.facts.max_model_len).toBe(65536);
    expect(d.evidence.map((e) => e.line)).toContain(VLLM_CONTEXT_TOO_LONG_LINE + 2);
  });
});
