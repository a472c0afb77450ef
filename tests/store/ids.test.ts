import { describe, expect, it } from 'vitest';
import { isRunId, newRunId } from '../../server/store/ids.js';

describe('run ids', () => {
  it('are 22 url-safe characters and distinct across 10,000 calls', () => {
    const ids = Array.from({ length: 10_000 }, newRunId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('isRunId accepts fresh ids', () => {
    for (let i = 0; i < 100; i++) expect(isRunId(newRunId())).toBe(true);
  });

  it('isRunId rejects path tricks and wrong lengths', () => {
    const id = newRunId();
    for (const bad of [
      '../etc/passwd',
      '%2e%2e',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      id.slice(1), // 21
      id + 'A', // 23
      '',
      `${id.slice(0, 21)}/`,
      `${id.slice(0, 21)}.`,
      `${id.slice(0, 21)}=`,
      `${id}\n`,
      'a'.repeat(1000),
    ]) {
      expect(isRunId(bad), bad).toBe(false);
    }
  });
});
