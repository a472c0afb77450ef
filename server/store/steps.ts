import { and, asc, eq, gt } from 'drizzle-orm';
import type { StepEvent, StepKind, StepStatus } from '../agent/types.js';
import type { Db } from './db.js';
import { runs, steps } from './schema.js';
import type { RunStatus } from './types.js';

/** What a step row keeps in its JSON `data` column besides the indexed fields. */
interface StepData { summary: string; detail: Record<string, unknown>; evidence?: StepEvent['evidence'] }

/** Persists one step of the agent loop as it happens. `event.startedAt` is stored as given:
 * the run registry stamps it with wall-clock milliseconds before it gets here. */
export function appendStep(db: Db, runId: string, event: StepEvent): void {
  const data: StepData = { summary: event.summary, detail: event.detail };
  if (event.evidence) data.evidence = event.evidence;
  db.insert(steps)
    .values({
      runId,
      seq: event.seq,
      kind: event.kind,
      title: event.title,
      status: event.status,
      startedAt: Math.round(event.startedAt),
      durationMs: Math.round(event.durationMs),
      data,
    })
    .run();
}

/** A run's steps in order; `afterSeq` skips what a reconnecting viewer already has. */
export function listSteps(db: Db, runId: string, afterSeq = 0): StepEvent[] {
  return db
    .select()
    .from(steps)
    .where(and(eq(steps.runId, runId), gt(steps.seq, afterSeq)))
    .orderBy(asc(steps.seq))
    .all()
    .map((row) => {
      const data = (row.data ?? {}) as Partial<StepData>;
      const event: StepEvent = {
        seq: row.seq,
        kind: row.kind as StepKind,
        title: row.title,
        status: row.status as StepStatus,
        startedAt: row.startedAt,
        durationMs: row.durationMs ?? 0,
        summary: data.summary ?? '',
        detail: data.detail ?? {},
      };
      if (data.evidence) event.evidence = data.evidence;
      return event;
    });
}

export interface FinishRunInput {
  status: Exclude<RunStatus, 'running'>;
  category: string | null;
  severity: string | null;
  confidence: number | null;
  diagnosis: unknown | null;
  result: unknown | null;
  /** the failing run's stderr, so the run's log view and log.txt show what was diagnosed */
  log?: string;
}

/** Ends a run: its final status, the diagnosis columns the history lists, and the loop's result.
 * Only a run still 'running' is changed, so a late finish never overwrites an interruption. */
export function finishRun(db: Db, runId: string, input: FinishRunInput): boolean {
  const { log, ...rest } = input;
  return db
    .update(runs)
    .set(log === undefined ? rest : { ...rest, log })
    .where(and(eq(runs.id, runId), eq(runs.status, 'running')))
    .run().changes > 0;
}
