import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// Kinds and statuses are checked by TypeScript, not by SQL CHECK constraints: widening a CHECK in
// SQLite means rebuilding the table, and dropping `runs` inside the migrator's transaction (where
// `PRAGMA foreign_keys = OFF` is a no-op) would cascade-delete every step and artifact.
export const RUN_KINDS = ['paste', 'scenario'] as const;
export const RUN_STATUSES = ['done', 'running', 'interrupted', 'failed'] as const;
export const RUN_MODES = ['live', 'replay'] as const;
export type RunMode = (typeof RUN_MODES)[number];
export type RunKind = (typeof RUN_KINDS)[number];
export type RunStatus = (typeof RUN_STATUSES)[number];
export interface Redaction { kind: string; count: number }

/** One diagnosed paste or scenario run. `log` and `config` are stored already redacted. */
export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    // milliseconds since the epoch: a plain number is the pagination cursor, no Date round-trips
    createdAt: integer('created_at').notNull(),
    kind: text('kind', { enum: RUN_KINDS }).notNull(),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    // private by default: only runs a person chose to list appear in the public history
    listed: integer('listed', { mode: 'boolean' }).notNull().default(false),
    title: text('title').notNull(),
    category: text('category'),
    severity: text('severity'),
    confidence: real('confidence'),
    log: text('log').notNull(),
    config: text('config'),
    diagnosis: text('diagnosis', { mode: 'json' }).$type<unknown>(),
    redactions: text('redactions', { mode: 'json' }).$type<Redaction[]>().notNull().default(sql`'[]'`),
    // scenario runs only: which scenarios/<id>.yaml ran, live or replay, and the loop's result
    scenarioId: text('scenario_id'),
    mode: text('mode', { enum: RUN_MODES }),
    result: text('result', { mode: 'json' }).$type<unknown>(),
  },
  (t) => [
    index('runs_listed_created_at_idx').on(t.listed, t.createdAt),
    // retention prunes by age and by count over all runs, listed or not
    index('runs_created_at_idx').on(t.createdAt),
  ],
);

/** The agent loop's step events, in order; written by the closed-loop issue. */
export const steps = sqliteTable(
  'steps',
  {
    runId: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    status: text('status').notNull(),
    startedAt: integer('started_at').notNull(),
    durationMs: integer('duration_ms'),
    data: text('data', { mode: 'json' }).$type<unknown>(),
  },
  // the key also indexes run_id, so a cascade delete does not scan the table
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

/** Files that came with a run (uploaded stderr, config), fetched by name. */
export const artifacts = sqliteTable(
  'artifacts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id').notNull().references(() => runs.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    content: text('content').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  // names are how artifacts are addressed, so one name per run; also serves the cascade delete
  (t) => [uniqueIndex('artifacts_run_id_name_idx').on(t.runId, t.name)],
);

/** Explanations from the LLM sidecar, keyed by model, prompt version, taxonomy version and a hash
 * of the redacted prompt (server/llm/cache.ts). Read back as untrusted; pruned to a bound. */
export const llmCache = sqliteTable(
  'llm_cache',
  {
    key: text('key').primaryKey(),
    model: text('model').notNull(),
    answer: text('answer', { mode: 'json' }).$type<unknown>().notNull(),
    // milliseconds since the epoch; pruning drops the oldest first
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('llm_cache_created_at_idx').on(t.createdAt)],
);
