import type { Db } from '../store/db.js';
import { getRun, type RunRecord } from '../store/runs.js';
import { listSteps } from '../store/steps.js';
import type { RunMessage, RunRegistry } from './run-registry.js';
import type { StepEvent, StepProgress } from './types.js';

/** What a viewer of a run receives: its steps after the one it has, then the run as stored at
 * the end (status 'done', 'failed' or 'interrupted'). Between them, live only, the progress of a
 * step still running (same seq as the step it becomes; no event id, so a reconnect resumes after
 * the last finished step). Both SSE streams (JSON and HTML) are this feed in two wire formats. */
export type FeedItem = { type: 'step'; step: StepEvent } | { type: 'progress'; step: StepProgress } | { type: 'end'; run: RunRecord };

/**
 * Stored steps after `after` first, then live ones, without gaps or duplicates: the feed
 * subscribes before it reads the store (the registry stores a step before publishing it), and
 * skips any live step it already sent. A run the store calls 'running' that no registry runs
 * (the server restarted) ends at once, as interrupted. Ends early, quietly, when `signal` aborts:
 * the viewer left, the run goes on.
 */
export async function* runFeed(registry: RunRegistry, db: Db, runId: string, after: number, signal: AbortSignal): AsyncGenerator<FeedItem> {
  const pending: RunMessage[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = registry.subscribe(runId, (m) => {
    pending.push(m);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    // read both at once (synchronously), so no step can land between them
    const stored = listSteps(db, runId, after);
    const run = getRun(db, runId);
    if (!run) return;
    let last = after;
    for (const step of stored) {
      yield { type: 'step', step };
      last = step.seq;
    }
    if (!unsubscribe || run.status !== 'running') {
      yield { type: 'end', run: finalRun(db, run) };
      return;
    }
    while (!signal.aborted) {
      const m = pending.shift();
      if (!m) {
        await new Promise<void>((resolve) => { wake = resolve; });
        wake = null;
        continue;
      }
      if (m.type === 'progress') {
        // progress of a step the viewer already has finished (read from the store) is stale
        if (m.step.seq > last) yield { type: 'progress', step: m.step };
        continue;
      }
      if (m.type === 'step') {
        if (m.step.seq > last) {
          yield { type: 'step', step: m.step };
          last = m.step.seq;
        }
        continue;
      }
      // the registry stored the outcome before it told us
      yield { type: 'end', run: getRun(db, runId) ?? run };
      return;
    }
  } finally {
    unsubscribe?.();
    signal.removeEventListener('abort', onAbort);
  }
}

/** A run still 'running' in the store that no registry is running was cut off by a restart. */
function finalRun(db: Db, run: RunRecord): RunRecord {
  if (run.status !== 'running') return run;
  const again = getRun(db, run.id) ?? run;
  return again.status === 'running' ? { ...again, status: 'interrupted' } : again;
}
