import { describe, expect, it } from 'vitest';
import { createRun, listPublicRuns } from '../../server/store/runs.js';
import { sampleRun, setCreatedAt, useMemoryDb } from './fixtures.js';

describe('listPublicRuns', () => {
  const use = useMemoryDb();

  it('never returns an unlisted run', () => {
    const db = use();
    const listed = createRun(db, sampleRun({ listed: true, title: 'public' }));
    const hidden = createRun(db, sampleRun({ listed: false, title: 'private' }));
    const ids = listPublicRuns(db, { limit: 100 }).map((r) => r.id);
    expect(ids).toEqual([listed]);
    expect(ids).not.toContain(hidden);
  });

  it('returns summaries only, newest first, and pages with before', () => {
    const db = use();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const id = createRun(db, sampleRun({ listed: true, title: `run ${i}` }));
      setCreatedAt(db, id, 1_000 + i * 10);
      ids.push(id);
      // an unlisted run between each, at a time that would otherwise fall inside every page
      setCreatedAt(db, createRun(db, sampleRun({ listed: false })), 1_005 + i * 10);
    }
    const newest = [...ids].reverse();

    const page1 = listPublicRuns(db, { limit: 3 });
    expect(page1.map((r) => r.id)).toEqual(newest.slice(0, 3));
    expect(page1[0]).toEqual({
      id: ids[6], createdAt: 1_060, kind: 'paste', title: 'run 6',
      category: 'cuda_oom', severity: 'critical', confidence: 0.92, status: 'done',
    });

    const page2 = listPublicRuns(db, { limit: 3, before: page1.at(-1)!.createdAt });
    expect(page2.map((r) => r.id)).toEqual(newest.slice(3, 6));
    const page3 = listPublicRuns(db, { limit: 3, before: page2.at(-1)!.createdAt });
    expect(page3.map((r) => r.id)).toEqual(newest.slice(6));
    expect(listPublicRuns(db, { limit: 3, before: page3.at(-1)!.createdAt })).toEqual([]);
  });

  it('orders runs created in the same millisecond by insertion', () => {
    const db = use();
    const a = createRun(db, sampleRun({ listed: true }));
    const b = createRun(db, sampleRun({ listed: true }));
    setCreatedAt(db, a, 5_000);
    setCreatedAt(db, b, 5_000);
    expect(listPublicRuns(db, { limit: 10 }).map((r) => r.id)).toEqual([b, a]);
  });

  it('rejects a nonsense limit', () => {
    expect(() => listPublicRuns(use(), { limit: -1 })).toThrow(RangeError);
    expect(() => listPublicRuns(use(), { limit: 1.5 })).toThrow(RangeError);
  });
});
