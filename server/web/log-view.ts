/** What the log viewer shows: every line of a short log, or for a long one the windows around
 * the evidence lines and the tail, with the gaps between them counted. */

export interface LogLine { n: number; text: string; hit: boolean; cut: number }
export type LogSegment = { kind: 'lines'; lines: LogLine[] } | { kind: 'gap'; from: number; to: number; count: number };
export interface LogView { total: number; segments: LogSegment[]; windowed: boolean }

export interface LogViewOptions {
  /** logs up to this many lines are shown whole */
  maxFull?: number;
  /** lines shown before and after each evidence line */
  context?: number;
  /** lines always shown at the end (where a crash usually is) */
  tail?: number;
  /** longer lines are cut (the full log is a download away) */
  maxLineChars?: number;
}

export function splitLines(log: string): string[] {
  const lines = log.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function logView(log: string, evidence: readonly number[], opts: LogViewOptions = {}): LogView {
  const { maxFull = 400, context = 8, tail = 15, maxLineChars = 2000 } = opts;
  const all = splitLines(log);
  const total = all.length;
  const hits = new Set(evidence.filter((n) => Number.isInteger(n) && n >= 1 && n <= total));
  const line = (n: number): LogLine => {
    const raw = all[n - 1].replace(/\r$/, '');
    const cut = Math.max(0, raw.length - maxLineChars);
    return { n, text: cut ? raw.slice(0, maxLineChars) : raw, hit: hits.has(n), cut };
  };

  if (total <= maxFull) {
    return { total, windowed: false, segments: [{ kind: 'lines', lines: Array.from({ length: total }, (_, i) => line(i + 1)) }] };
  }
  // ranges [from, to] (1-based, inclusive) around each evidence line and at the end, merged
  const ranges: [number, number][] = [...hits].map((n) => [Math.max(1, n - context), Math.min(total, n + context)]);
  ranges.push([Math.max(1, total - tail + 1), total]);
  if (hits.size === 0) ranges.push([1, Math.min(total, tail)]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1] + 2) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const segments: LogSegment[] = [];
  let next = 1;
  for (const [from, to] of merged) {
    if (from > next) segments.push({ kind: 'gap', from: next, to: from - 1, count: from - next });
    const lines: LogLine[] = [];
    for (let n = from; n <= to; n++) lines.push(line(n));
    segments.push({ kind: 'lines', lines });
    next = to + 1;
  }
  return { total, windowed: true, segments };
}
