/** Configuration and the prompt. */
import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import { readLlmConfig } from '../../server/llm/config.js';
import { buildPrompt, evidenceBlock, PROMPT_VERSION, SYSTEM_PROMPT } from '../../server/llm/prompt.js';
import { TORCH_CUDA_OOM, VLLM_COMMAND, VLLM_CONTEXT_TOO_LONG, VLLM_CONTEXT_TOO_LONG_LINE } from '../fixtures/crash-logs.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

const tax = builtinTaxonomy();
const ids = tax.patterns.map((p) => p.id);

describe('readLlmConfig', () => {
  it('is null without LLM_BASE_URL: the step is skipped, not an error', () => {
    expect(readLlmConfig({})).toBeNull();
    expect(readLlmConfig({ LLM_BASE_URL: '  ', HF_TOKEN: 'hf_x' })).toBeNull();
  });

  it('has defaults and falls back to HF_TOKEN', () => {
    expect(readLlmConfig({ LLM_BASE_URL: 'http://127.0.0.1:8000/v1/', HF_TOKEN: 'hf_abc' })).toEqual({
      baseUrl: 'http://127.0.0.1:8000/v1', model: 'Qwen/Qwen2.5-7B-Instruct', apiKey: 'hf_abc', timeoutMs: 8000,
    });
    expect(readLlmConfig({ LLM_BASE_URL: 'http://h/v1' })?.apiKey).toBeNull();
  });

  it('prefers LLM_API_KEY, reads LLM_MODEL and LLM_TIMEOUT_MS, ignores a broken timeout', () => {
    const env = { LLM_BASE_URL: 'https://router.example/v1', LLM_API_KEY: 'k', HF_TOKEN: 'hf_abc', LLM_MODEL: 'm/7b', LLM_TIMEOUT_MS: '2500' };
    expect(readLlmConfig(env)).toMatchObject({ apiKey: 'k', model: 'm/7b', timeoutMs: 2500 });
    expect(readLlmConfig({ ...env, LLM_TIMEOUT_MS: 'soon' })?.timeoutMs).toBe(8000);
    expect(readLlmConfig({ ...env, LLM_TIMEOUT_MS: '-5' })?.timeoutMs).toBe(8000);
    expect(readLlmConfig({ ...env, LLM_TIMEOUT_MS: '99999999' })?.timeoutMs).toBe(120_000);
  });
});

describe('buildPrompt', () => {
  const d = diagnoseText(tax, VLLM_CONTEXT_TOO_LONG, VLLM_COMMAND);

  it('carries the rule diagnosis, the computed fix, the facts, the config and the evidence with context', () => {
    const p = buildPrompt(d, { log: VLLM_CONTEXT_TOO_LONG, config: VLLM_COMMAND }, { taxonomyIds: ids });
    expect(p.promptVersion).toBe(PROMPT_VERSION);
    expect(p.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(p.messages[0].content).toBe(SYSTEM_PROMPT);
    const user = p.messages[1].content;
    for (const part of ['category: context_length_exceeded', d.root_cause, 'computed fix: Set max_model_len to the derived maximum, 32768.',
      'max_model_len: 65536 -> 32768', 'derived_max_model_len: 32768', VLLM_COMMAND, 'allowed failure_category ids: batch_too_large_runtime']) {
      expect(user).toContain(part);
    }
    const n = VLLM_CONTEXT_TOO_LONG_LINE;
    const rows = user.slice(user.indexOf('evidence (')).split('\n').slice(1);
    expect(rows.map((r) => Number(r.slice(2, r.indexOf('|'))))).toEqual([n - 2, n - 1, n, n + 1]); // the log ends at n + 1
    expect(rows.filter((r) => r.startsWith('>'))).toHaveLength(1);
  });

  it('hashes the redacted content: stable, and different when the evidence differs', () => {
    const a = buildPrompt(d, { log: VLLM_CONTEXT_TOO_LONG });
    expect(buildPrompt(d, { log: VLLM_CONTEXT_TOO_LONG }).evidenceHash).toBe(a.evidenceHash);
    expect(a.evidenceHash).toMatch(/^[0-9a-f]{64}$/);
    const other = diagnoseText(tax, TORCH_CUDA_OOM);
    expect(buildPrompt(other, { log: TORCH_CUDA_OOM }).evidenceHash).not.toBe(a.evidenceHash);
    // secrets that differ but redact alike give the same hash (nothing about them is kept)
    const withSecret = (s: string) => buildPrompt(d, { log: VLLM_CONTEXT_TOO_LONG, config: { api_key: s } }).evidenceHash;
    expect(withSecret('sk-aaaaaaaaaaaaaaaaaaaaaaaaaa1')).toBe(withSecret('sk-bbbbbbbbbbbbbbbbbbbbbbbbbb2'));
  });

  it('bounds the evidence to a few KB on huge lines and many evidence lines', () => {
    const big = Array.from({ length: 200 }, (_, i) => `line ${i} ${'y'.repeat(5000)}`).join('\n');
    const many = { ...d, evidence: Array.from({ length: 30 }, (_, i) => ({ line: i * 6 + 3, text: `line ${i * 6 + 2}` })) };
    const block = evidenceBlock(many, big);
    expect(block.length).toBeLessThan(5000);
    expect(block.split('\n').filter((r) => r.startsWith('>'))).toHaveLength(8);
    expect(buildPrompt(many, { log: big, config: { note: 'z'.repeat(50_000) } }).messages[1].content.length).toBeLessThan(12_000);
  });

  it('uses the evidence lines themselves when no log is given', () => {
    const block = evidenceBlock(d, null);
    expect(block).toBe(`> ${d.evidence[0].line} | ${d.evidence[0].text.slice(0, 400)}…`);
  });

  it('drops a private key body whose BEGIN line is outside the context', () => {
    const log = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB.'].join('\n');
    const block = evidenceBlock(diagnoseText(tax, log), log);
    expect(block).not.toContain('MIIEvQIBADAN');
    expect(block).toContain('[REDACTED:private_key]');
  });
});
