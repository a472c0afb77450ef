import { describe, expect, it } from 'vitest';
import type { StepEvent } from '../../server/agent/types.js';
import { createRun, getRun, markInterrupted } from '../../server/store/runs.js';
import { appendStep, finishRun, listSteps } from '../../server/store/steps.js';
import { sampleRun, useMemoryDb } from './fixtures.js';

const step = (seq: number, over: Partial<StepEvent> = {}): StepEvent => ({
  seq, kind: 'record', title: `Step ${seq}`, status: 'ok', startedAt: 1_700_000_000_000 + seq, durationMs: 10 * seq,
  summary: `summary ${seq}`, detail: { n: seq }, ...over,
});

describe('steps store', () => {
  const db = useMemoryDb();
  const scenarioRun = () => createRun(db(), sampleRun({ kind: 'scenario', status: 'running', scenarioId: 'train-batch-64', mode: 'live' }));

  it('appends steps and lists them in order, after a given sequence number', () => {
    const id = scenarioRun();
    for (const n of [1, 2, 3]) appendStep(db(), id, step(n, n === 2 ? { evidence: [{ line: 4, text: 'OOM' }] } : {}));
    expect(listSteps(db(), id).map((s) => s.seq)).toEqual([1, 2, 3]);
    expect(listSteps(db(), id, 1)).toEqual([step(2, { evidence: [{ line: 4, text: 'OOM' }] }), step(3)]);
    expect(listSteps(db(), id, 3)).toEqual([]);
    expect(listSteps(db(), 'AAAAAAAAAAAAAAAAAAAAAA')).toEqual([]);
  });

  it('refuses a duplicate sequence number (a step is stored once)', () => {
    const id = scenarioRun();
    appendStep(db(), id, step(1));
    expect(() => appendStep(db(), id, step(1))).toThrow();
  });

  it('finishes a running run with its outcome, once', () => {
    const id = scenarioRun();
    expect(getRun(db(), id)).toMatchObject({ status: 'running', scenarioId: 'train-batch-64', mode: 'live', result: null });
    const ok = finishRun(db(), id, { status: 'done', category: 'cuda_oom', severity: 'critical', confidence: 0.9, diagnosis: { category: 'cuda_oom' }, result: { verdict: 'recovered' }, log: 'stderr' });
    expect(ok).toBe(true);
    expect(getRun(db(), id)).toMatchObject({ status: 'done', category: 'cuda_oom', result: { verdict: 'recovered' }, log: 'stderr' });
    // a late finish never overwrites an outcome already stored
    expect(finishRun(db(), id, { status: 'failed', category: null, severity: null, confidence: null, diagnosis: null, result: null })).toBe(false);
    expect(getRun(db(), id)!.status).toBe('done');
  });

  it('keeps the steps of a run cut off by a restart, which then reads as interrupted', () => {
    const id = scenarioRun();
    appendStep(db(), id, step(1));
    expect(markInterrupted(db())).toBe(1);
    expect(getRun(db(), id)!.status).toBe('interrupted');
    expect(listSteps(db(), id)).toHaveLength(1);
  });

  it('a paste run has no scenario fields', () => {
    const id = createRun(db(), sampleRun());
    expect(getRun(db(), id)).toMatchObject({ kind: 'paste', scenarioId: null, mode: null, result: null });
  });
});
