import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { LogScan } from './log-scan.js';
import type { ScanResult, SignalMatch, Taxonomy } from './types.js';

/** Below this a second thread costs more (its start-up) than it saves. */
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
/** The worker starts ~0.1 s later than the main thread, so it takes the smaller, first part. */
const WORKER_SHARE = 0.45;

/** Scans a log file, on two threads when it is large: a worker takes the first part, this thread
 * the rest (with the end of the log, where the short keywords are looked for). */
export async function scanFile(tax: Taxonomy, file: string, taxonomyDirs: string[]): Promise<ScanResult> {
  const size = statSync(file).size;
  if (size < PARALLEL_MIN_BYTES) return scanRange(tax, file, 0, size);
  const split = lineStartAfter(file, Math.floor(size * WORKER_SHARE));
  if (split <= 0 || split >= size) return scanRange(tax, file, 0, size);
  const workerUrl = new URL(import.meta.url.endsWith('.ts') ? './scan-worker.ts' : './scan-worker.js', import.meta.url);
  const first = new Promise<ScanResult>((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: { file, start: 0, end: split, taxonomyDirs } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`scan worker exited with ${code}`)));
  });
  const rest = await scanRange(tax, file, split, size);
  return mergeScans(await first, rest);
}

async function scanRange(tax: Taxonomy, file: string, start: number, end: number): Promise<ScanResult> {
  const scan = new LogScan(tax);
  if (end > start) for await (const chunk of createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 })) scan.push(chunk as Buffer);
  return scan.end();
}

/** The offset just after the first newline at or after `from` (-1 when there is none soon). */
function lineStartAfter(file: string, from: number): number {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const n = readSync(fd, buf, 0, buf.length, from);
    const nl = buf.subarray(0, n).indexOf(10);
    return nl < 0 ? -1 : from + nl + 1;
  } finally {
    closeSync(fd);
  }
}

/** Joins the scans of two consecutive parts: line numbers of the second shift by the first's. */
export function mergeScans(a: ScanResult, b: ScanResult): ScanResult {
  const off = a.lines;
  const shift = <T extends { line: number }>(e: T): T => ({ ...e, line: e.line + off });
  const matches = new Map<number, SignalMatch>(a.matches);
  for (const [signal, m] of b.matches) {
    const prior = matches.get(signal);
    matches.set(signal, prior
      ? { count: prior.count + m.count, first: prior.first, last: shift(m.last) }
      : { count: m.count, first: shift(m.first), last: shift(m.last) });
  }
  return { bytes: a.bytes + b.bytes, lines: a.lines + b.lines, matches, tail: b.tail.length ? b.tail.map(shift) : a.tail };
}
