import type { KeywordHit } from './keyword-scanner.js';
import type { ScanResult, SignalMatch, Taxonomy } from './types.js';

/** A line longer than this is cut into pieces (line numbers stay right; a keyword cut in two
 * at the seam is missed). Bounds memory whatever the input. */
const MAX_LINE_BYTES = 1 << 20;
/** How much of a (possibly huge) line around a keyword the regexes see. */
const WINDOW = 4096;
const EVIDENCE_CHARS = 600;
const TAIL_BYTES = 256 * 1024;
const TAIL_LINES = 30;
/** After this many lines with the same keyword (progress bars, metrics lines in a healthy log),
 * the scanner reports only its last line in each block: the scan stays fast on 100 MB of noise
 * and still sees the most recent occurrence. */
const KEYWORD_SATURATION = 200;

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const decoder = new TextDecoder('utf-8');

/** Cleans what the regexes and the evidence see: colour codes, carriage returns (CRLF, and the
 * lone \r progress bars use to redraw), NULs from binary junk. */
export function cleanLine(text: string): string {
  return text.replace(ANSI, '').replace(/[\r\0]+/g, ' ').trimEnd();
}

/** Streaming matcher: push bytes in any chunking (the scan keeps references to the last few
 * chunks until end(), so do not reuse them), then end(). Only lines that contain a keyword
 * are decoded and run through the regexes; memory stays bounded by the number of signals. */
export class LogScan {
  private carry: Buffer | null = null;
  private nextLine = 1;
  private bytes = 0;
  /** the last blocks (by reference: a pushed chunk must not be reused until end()) */
  private recent: { buf: Buffer; firstLine: number }[] = [];
  private recentBytes = 0;
  private readonly hits: KeywordHit[] = [];
  private readonly keywordLines: Uint32Array;
  private readonly muted: Uint8Array;
  readonly matches = new Map<number, SignalMatch>();

  constructor(private readonly tax: Taxonomy) {
    this.keywordLines = new Uint32Array(tax.keywordSignals.length);
    this.muted = new Uint8Array(tax.keywordSignals.length);
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.bytes += chunk.length;
    let start = 0;
    if (this.carry) {
      // finish the carried partial line with the head of this chunk, without copying the chunk
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, chunk]);
        if (this.carry.length > MAX_LINE_BYTES) this.flushCarry(false);
        return;
      }
      this.block(Buffer.concat([this.carry, chunk.subarray(0, nl + 1)]));
      this.carry = null;
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) this.block(chunk.subarray(start, last + 1));
    const rest = chunk.subarray(Math.max(start, last + 1));
    if (rest.length) {
      this.carry = Buffer.from(rest);
      if (this.carry.length > MAX_LINE_BYTES) this.flushCarry(false);
    }
  }

  end(): ScanResult {
    this.flushCarry(true);
    // Short keywords (Killed, exit code, error:) would slow the whole scan down; a run's fatal
    // lines are at its end, so they are looked for in the last TAIL_BYTES only (all of a
    // pasted log, typically).
    const tail = this.tail();
    const hits: KeywordHit[] = [];
    this.tax.scanner.scanShort(tail.buf, 0, tail.buf.length, hits);
    if (hits.length) this.evaluateHits(tail.buf, hits, tail.firstLine);
    return { bytes: this.bytes, lines: this.nextLine - 1, matches: this.matches, tail: tailLines(tail) };
  }

  private flushCarry(final: boolean): void {
    if (!this.carry) return;
    const piece = this.carry;
    this.carry = null;
    this.block(piece);
    // a piece without a newline still ends a line when the input ends; a cut piece does not
    if (final) this.nextLine++;
  }

  private block(buf: Buffer): void {
    const firstLine = this.nextLine;
    const hits = this.hits;
    hits.length = 0;
    this.tax.scanner.scanLong(buf, 0, buf.length, hits, this.muted);
    this.nextLine = this.evaluateHits(buf, hits, firstLine);
    this.keepTail(buf, firstLine);
  }

  /** Runs the signals of each line that holds a keyword; returns the line number after buf. */
  private evaluateHits(buf: Buffer, hits: KeywordHit[], firstLine: number): number {
    hits.sort((a, b) => a.pos - b.pos);
    const seen = this.keywordLines;
    let line = firstLine;
    let counted = 0;
    let i = 0;
    while (i < hits.length) {
      const lineStart = buf.lastIndexOf(10, hits[i].pos) + 1;
      const nl = buf.indexOf(10, hits[i].pos);
      const lineEnd = nl < 0 ? buf.length : nl;
      line += countNewlines(buf, counted, lineStart);
      counted = lineStart;
      const signals = new Set<number>();
      const firstHit = hits[i].pos;
      for (; i < hits.length && hits[i].pos < lineEnd; i++) {
        const k = hits[i].keyword;
        if (++seen[k] >= KEYWORD_SATURATION) this.muted[k] = 1;
        for (const s of this.tax.keywordSignals[k]) signals.add(s);
      }
      this.evaluate(buf, lineStart, lineEnd, firstHit, signals, line);
    }
    return line + countNewlines(buf, counted, buf.length);
  }

  private evaluate(buf: Buffer, start: number, end: number, hit: number, signals: Set<number>, line: number): void {
    const text = slice(buf, Math.max(start, hit - WINDOW), Math.min(end, hit + WINDOW));
    let next: string | null = null;
    let prev: string | null = null;
    for (const s of signals) {
      const re = this.tax.signals[s].re;
      let m = re.exec(text);
      if (!m) {
        // a message wrapped by a terminal, a web page or a logger: try it joined to its neighbours
        next ??= neighbour(buf, end + 1, true);
        prev ??= neighbour(buf, start - 1, false);
        m = (next && re.exec(`${text} ${next}`)) || (prev && re.exec(`${prev} ${text}`)) || null;
      }
      if (m) this.record(s, line, evidenceText(text, m.index), m.groups);
    }
  }

  private record(signal: number, line: number, text: string, groups: Record<string, string> | undefined): void {
    const found = this.matches.get(signal);
    if (found) {
      found.count++;
      found.last = { line, text, groups: { ...groups } };
    } else {
      this.matches.set(signal, { count: 1, first: { line, text, groups: { ...groups } }, last: { line, text, groups: { ...groups } } });
    }
  }

  private keepTail(buf: Buffer, firstLine: number): void {
    this.recent.push({ buf, firstLine });
    this.recentBytes += buf.length;
    while (this.recent.length > 1 && this.recentBytes - this.recent[0].buf.length >= TAIL_BYTES) {
      this.recentBytes -= this.recent.shift()!.buf.length;
    }
  }

  /** The last TAIL_BYTES of the log, starting at a line. */
  private tail(): { buf: Buffer; firstLine: number } {
    if (!this.recent.length) return { buf: Buffer.alloc(0), firstLine: 1 };
    const all = this.recent.length === 1 ? this.recent[0].buf : Buffer.concat(this.recent.map((r) => r.buf));
    const firstLine = this.recent[0].firstLine;
    if (all.length <= TAIL_BYTES) return { buf: all, firstLine };
    const from = all.indexOf(10, all.length - TAIL_BYTES) + 1;
    return { buf: all.subarray(from), firstLine: firstLine + countNewlines(all, 0, from) };
  }
}

function tailLines(tail: { buf: Buffer; firstLine: number }): { line: number; text: string }[] {
  const lines = decoder.decode(tail.buf.subarray(Math.max(0, tail.buf.length - 16 * 1024))).split('\n');
  const skipped = countNewlines(tail.buf, 0, Math.max(0, tail.buf.length - 16 * 1024));
  const out = lines.map((t, i) => ({ line: tail.firstLine + skipped + i, text: cleanLine(t).slice(0, EVIDENCE_CHARS) }));
  return out.filter((l) => l.text.trim() !== '').slice(-TAIL_LINES);
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let p = buf.indexOf(10, from); p >= 0 && p < to; p = buf.indexOf(10, p + 1)) n++;
  return n;
}

function slice(buf: Buffer, from: number, to: number): string {
  return cleanLine(decoder.decode(buf.subarray(from, to)));
}

/** The line after `from` (forward) or ending at `from` (backward), if it is in this block. */
function neighbour(buf: Buffer, from: number, forward: boolean): string | null {
  if (from < 0 || from >= buf.length) return null;
  if (forward) {
    const nl = buf.indexOf(10, from);
    return slice(buf, from, Math.min(nl < 0 ? buf.length : nl, from + WINDOW)).trim();
  }
  const start = buf.lastIndexOf(10, from - 1) + 1;
  return slice(buf, Math.max(start, from - WINDOW), from).trim();
}

function evidenceText(text: string, at: number): string {
  if (text.length <= EVIDENCE_CHARS) return text;
  const from = Math.max(0, Math.min(at - 100, text.length - EVIDENCE_CHARS));
  return `${from > 0 ? '…' : ''}${text.slice(from, from + EVIDENCE_CHARS)}…`;
}
