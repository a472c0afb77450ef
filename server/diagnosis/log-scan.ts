import type { KeywordHit } from './keyword-scanner.js';
import type { ScanResult, SignalMatch, Taxonomy } from './types.js';

/** A line longer than this is cut into pieces (line numbers stay right; a keyword cut in two
 * at the seam is missed). Bounds memory whatever the input. */
const MAX_LINE_BYTES = 1 << 20;
/** How much of a (possibly huge) line around a keyword the regexes see. */
const WINDOW = 4096;
const EVIDENCE_CHARS = 600;
const TAIL_BYTES = 16 * 1024;
const TAIL_LINES = 30;
/** After this many lines with the same keyword (progress bars, metrics lines in a healthy log),
 * only the last such line of each block is examined: the scan stays fast on 100 MB of noise and
 * still sees the most recent occurrence. */
const KEYWORD_SATURATION = 200;

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const decoder = new TextDecoder('utf-8');

/** Cleans what the regexes and the evidence see: colour codes, carriage returns (CRLF, and the
 * lone \r progress bars use to redraw), NULs from binary junk. */
export function cleanLine(text: string): string {
  return text.replace(ANSI, '').replace(/[\r\0]+/g, ' ').trimEnd();
}

/** Streaming matcher: push bytes in any chunking, then end(). Only lines that contain a keyword
 * are decoded and run through the regexes; memory stays bounded by the number of signals. */
export class LogScan {
  private carry: Buffer | null = null;
  private nextLine = 1;
  private bytes = 0;
  private tail: Buffer = Buffer.alloc(0);
  private tailFirstLine = 1;
  private readonly hits: KeywordHit[] = [];
  private readonly keywordLines: Uint32Array;
  readonly matches = new Map<number, SignalMatch>();

  constructor(private readonly tax: Taxonomy) {
    this.keywordLines = new Uint32Array(tax.keywordSignals.length);
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
      this.carry = Buffer.from(rest); // a copy: the caller may reuse its buffer
      if (this.carry.length > MAX_LINE_BYTES) this.flushCarry(false);
    }
  }

  end(): ScanResult {
    this.flushCarry(true);
    return { bytes: this.bytes, lines: this.nextLine - 1, matches: this.matches, tail: this.tailLines() };
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
    this.tax.scanner.scan(buf, 0, buf.length, hits);
    hits.sort((a, b) => a.pos - b.pos);
    const seen = this.keywordLines;
    const lastOf = new Map<number, number>();
    hits.forEach((h, idx) => { if (seen[h.keyword] >= KEYWORD_SATURATION) lastOf.set(h.keyword, idx); });

    let line = firstLine;
    let counted = 0;
    let i = 0;
    while (i < hits.length) {
      if (seen[hits[i].keyword] >= KEYWORD_SATURATION && lastOf.get(hits[i].keyword) !== i) { i++; continue; }
      const lineStart = buf.lastIndexOf(10, hits[i].pos) + 1;
      const nl = buf.indexOf(10, hits[i].pos);
      const lineEnd = nl < 0 ? buf.length : nl;
      line += countNewlines(buf, counted, lineStart);
      counted = lineStart;
      const signals = new Set<number>();
      const firstHit = hits[i].pos;
      for (; i < hits.length && hits[i].pos < lineEnd; i++) {
        const k = hits[i].keyword;
        seen[k]++;
        for (const s of this.tax.keywordSignals[k]) signals.add(s);
      }
      this.evaluate(buf, lineStart, lineEnd, firstHit, signals, line);
    }
    line += countNewlines(buf, counted, buf.length);
    this.nextLine = line;
    this.keepTail(buf, firstLine);
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
    if (buf.length >= TAIL_BYTES) {
      const from = buf.indexOf(10, buf.length - TAIL_BYTES) + 1;
      this.tailFirstLine = firstLine + countNewlines(buf, 0, from);
      this.tail = Buffer.from(buf.subarray(from));
    } else {
      const joined = Buffer.concat([this.tail, buf]);
      const drop = joined.length > TAIL_BYTES ? joined.indexOf(10, joined.length - TAIL_BYTES) + 1 : 0;
      this.tailFirstLine += countNewlines(joined, 0, drop);
      this.tail = joined.subarray(drop);
    }
  }

  private tailLines(): { line: number; text: string }[] {
    const lines = decoder.decode(this.tail).split('\n');
    const out = lines.map((t, i) => ({ line: this.tailFirstLine + i, text: cleanLine(t).slice(0, EVIDENCE_CHARS) }));
    return out.filter((l) => l.text.trim() !== '').slice(-TAIL_LINES);
  }
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
