/** Escaping and number formatting shared by the HTML and Markdown reports. Everything that comes
 * from a run (logs, commands, titles, params) goes through `esc` before it reaches HTML. */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML[c]);
}

/** Seconds with a sensible precision: 0.0042 s → "4 ms", 0.51 → "0.51 s", 83.6 → "83.6 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)} s`;
  if (s < 120) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** A number as people read it: thousands separators, at most `digits` decimals, no trailing zeros. */
export function formatNumber(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, useGrouping: Math.abs(n) >= 10_000 });
}

/** Dollars: cents for large figures, four decimals for small ones (a few cents of GPU time). */
export function formatDollars(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return Math.abs(n) >= 10 ? `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : `$${n.toFixed(4)}`;
}

/** A rate: "$1.99", "$75.00", "$0.125". */
export function formatRate(n: number): string {
  return Number.isFinite(n) ? `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}` : '—';
}

/** A param value as written in the config: strings as they are, numbers unformatted. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '(unset)';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The last `n` lines of a text (a trailing newline does not count as a line). */
export function tailLines(text: string, n: number): { lines: string[]; first: number; total: number } {
  const all = text.replace(/\n+$/, '').split('\n');
  const first = Math.max(0, all.length - n);
  return { lines: all.slice(first), first: first + 1, total: text.trim() ? all.length : 0 };
}

export function utc(d: Date): string {
  return `${d.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}
