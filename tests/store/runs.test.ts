import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { artifacts, runs } from '../../server/store/schema.js';
import { createRun, getArtifact, getRun } from '../../server/store/runs.js';
import { useMemoryDb, sampleRun } from './fixtures.js';

describe('createRun / getRun', () => {
  const use = useMemoryDb();

  it('stores a run with artifacts and reads it back', () => {
    const db = use();
    const before = Date.now();
    const id = createRun(db, sampleRun({
      listed: true,
      artifacts: [
        { name: 'stderr.txt', mime: 'text/plain', content: 'RuntimeError: boom\n' },
        { name: 'config.json', mime: 'application/json', content: '{"tp":"é"}' },
      ],
    }));
    const run = getRun(db, id);
    expect(run).not.toBeNull();
    expect(run!.id).toBe(id);
    expect(run!.createdAt).toBeGreaterThanOrEqual(before);
    expect(run!).toMatchObject({
      kind: 'paste', status: 'done', listed: true, title: 'CUDA out of memory',
      category: 'cuda_oom', severity: 'critical', confidence: 0.92,
      config: '{"max_model_len": 65536}',
      diagnosis: { category: 'cuda_oom', evidence: [{ line: 1, text: 'CUDA out of memory' }] },
      redactions: [{ kind: 'hf_token', count: 2 }],
    });
    // listed without content, in upload order, size in UTF-8 bytes
    expect(run!.artifacts).toEqual([
      { name: 'stderr.txt', mime: 'text/plain', size: 19 },
      { name: 'config.json', mime: 'application/json', size: Buffer.byteLength('{"tp":"é"}') }, // 11 bytes, 10 chars
    ]);
    expect(getArtifact(db, id, 'config.json')).toEqual({ name: 'config.json', mime: 'application/json', content: '{"tp":"é"}' });
    expect(getArtifact(db, id, 'missing.txt')).toBeNull();
    expect(getArtifact(db, 'x'.repeat(22), 'stderr.txt')).toBeNull();
  });

  it('keeps nulls as SQL NULL and defaults status to done, listed as given', () => {
    const db = use();
    const id = createRun(db, sampleRun({ config: null, diagnosis: null, category: null, severity: null, confidence: null, redactions: [] }));
    const raw = db.get(sql`SELECT diagnosis, config, redactions, listed FROM runs WHERE id = ${id}`);
    expect(raw).toEqual({ diagnosis: null, config: null, redactions: '[]', listed: 0 });
    expect(getRun(db, id)).toMatchObject({ status: 'done', listed: false, diagnosis: null, redactions: [], artifacts: [] });
  });

  it('accepts status running for the agent loop', () => {
    const db = use();
    const id = createRun(db, sampleRun({ kind: 'scenario', status: 'running' }));
    expect(getRun(db, id)).toMatchObject({ kind: 'scenario', status: 'running' });
  });

  it('returns null for an unknown id', () => {
    const db = use();
    expect(getRun(db, 'A'.repeat(22))).toBeNull();
  });

  it('is all-or-nothing: a failing artifact leaves no run behind', () => {
    const db = use();
    const bad = sampleRun({
      artifacts: [
        { name: 'ok.txt', mime: 'text/plain', content: 'fine' },
        { name: null as unknown as string, mime: 'text/plain', content: 'no name' },
      ],
    });
    expect(() => createRun(db, bad)).toThrow(/NOT NULL/);
    expect(db.select().from(runs).all()).toHaveLength(0);
    expect(db.select().from(artifacts).all()).toHaveLength(0);
  });

  it('rejects two artifacts with the same name in one run, storing nothing', () => {
    const db = use();
    const dup = sampleRun({
      artifacts: [
        { name: 'stderr.txt', mime: 'text/plain', content: 'a' },
        { name: 'stderr.txt', mime: 'text/plain', content: 'b' },
      ],
    });
    expect(() => createRun(db, dup)).toThrow(/UNIQUE/);
    expect(db.select().from(runs).all()).toHaveLength(0);
  });
});
