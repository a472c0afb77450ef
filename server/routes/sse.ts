import type { Context } from 'hono';
import { streamSSE, type SSEMessage } from 'hono/streaming';
import type { FullDeps } from '../app.js';
import { runFeed, type FeedItem } from '../agent/run-feed.js';

export const HEARTBEAT_MS = 15_000;

/** Where a viewer resumes: `Last-Event-ID` (what EventSource and htmx send on a reconnect) wins
 * over `?after=N` (what a page that already shows N steps asks for); anything else is 0. */
export function resumeAfter(c: Context): number {
  for (const raw of [c.req.header('last-event-id'), c.req.query('after')]) {
    if (raw !== undefined && /^\d{1,6}$/.test(raw.trim())) return Number(raw.trim());
  }
  return 0;
}

/**
 * A run's feed as server-sent events, in the wire format `format` gives each item: a
 * `: connected` comment at once, a heartbeat comment every 15 s (proxies close quiet streams),
 * and headers that keep proxies from buffering. A viewer that leaves stops only its own feed.
 */
export function feedResponse(c: Context, deps: FullDeps, runId: string, format: (item: FeedItem) => SSEMessage[], heartbeatMs = HEARTBEAT_MS): Response {
  const after = resumeAfter(c);
  const res = streamSSE(c, async (stream) => {
    const viewer = new AbortController();
    stream.onAbort(() => viewer.abort());
    await stream.write(': connected\n\n');
    const beat = setInterval(() => void stream.write(': heartbeat\n\n'), heartbeatMs);
    try {
      for await (const item of runFeed(deps.agent, deps.db, runId, after, viewer.signal)) {
        for (const message of format(item)) await stream.writeSSE(message);
        if (stream.aborted) break;
      }
    } finally {
      clearInterval(beat);
    }
  });
  res.headers.set('Cache-Control', 'no-cache, no-transform');
  res.headers.set('X-Accel-Buffering', 'no');
  return res;
}
