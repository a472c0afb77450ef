import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDb, type Db } from '../../server/store/db.js';
import { createRun, getArtifact, getRun } from '../../server/store/runs.js';
import { sampleRun } from './fixtures.js';

/** Db is typed without the driver handle, so read pragmas through drizzle's raw query. */
function pragma(db: Db, name: string): unknown {
  return Object.values(db.get<Record<string, unknown>>(sql.raw(`PRAGMA ${name}`)))[0];
}

describe('openDb', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('creates the parent directory, uses WAL and keeps data across close and reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replaylab-store-'));
    dirs.push(dir);
    const file = join(dir, 'nested', 'deeper', 'replaylab.db');

    const first = openDb(file);
    expect(pragma(first.db, 'journal_mode')).toBe('wal');
    expect(pragma(first.db, 'foreign_keys')).toBe(1);
    expect(pragma(first.db, 'busy_timeout')).toBe(5000);
    const id = createRun(first.db, sampleRun({ artifacts: [{ name: 'stderr.txt', mime: 'text/plain', content: 'boom' }] }));
    first.close();

    // reopening re-runs the migrator, which must find everything already applied
    const second = openDb(file);
    expect(pragma(second.db, 'journal_mode')).toBe('wal');
    expect(getRun(second.db, id)).toMatchObject({ id, title: 'CUDA out of memory', redactions: [{ kind: 'hf_token', count: 2 }] });
    expect(getArtifact(second.db, id, 'stderr.txt')?.content).toBe('boom');
    second.close();
  });

  it('applies the real migrations to a memory database', () => {
    const { db, close } = openDb(':memory:');
    const tables = db.all<{ name: string }>(
      sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    );
    expect(tables.map((t) => t.name)).toEqual(['__drizzle_migrations', 'artifacts', 'llm_cache', 'runs', 'steps']);
    expect(pragma(db, 'foreign_keys')).toBe(1);
    close();
  });
});
