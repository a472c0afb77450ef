import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema>;

/**
 * Opens (creating if needed) the SQLite database and brings its schema up to date.
 * `file` is a path or ':memory:'. The caller owns the handle and must call close().
 */
export function openDb(file: string): { db: Db; close(): void } {
  const memory = file === ':memory:';
  if (!memory) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  try {
    // WAL lets readers (page views) proceed while a run is being written; memory dbs can't use it
    if (!memory) sqlite.pragma('journal_mode = WAL');
    // cascades (artifacts, steps) depend on this; SQLite leaves it off per connection by default
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = drizzle(sqlite, { schema });
    migrate(db, { migrationsFolder: migrationsDir() });
    return { db, close: () => sqlite.close() };
  } catch (e) {
    sqlite.close();
    throw e;
  }
}

function migrationsDir(): string {
  // from server/store (tsx) or dist/server/store (compiled): drizzle/ sits at the repo root,
  // and tsc does not copy it, so both layouts point back there
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../../drizzle', '../../../drizzle']) {
    const dir = join(here, up);
    if (existsSync(join(dir, 'meta', '_journal.json'))) return dir;
  }
  throw new Error(`drizzle migrations folder not found above ${here}`);
}
