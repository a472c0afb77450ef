/** Small formatting helpers the templates use (as `it.h.*`). Pure functions of their inputs. */

const SEVERITY_LABELS: Record<string, string> = {
  critical: 'Critical', high: 'High', medium: 'Medium', warning: 'Warning', info: 'Info',
};

/** A severity as a text label; the colour (class sev-<name>) only repeats what the text says. */
export function severityLabel(severity: string | null | undefined): string {
  return severity ? SEVERITY_LABELS[severity] ?? severity : 'None';
}

export function severityClass(severity: string | null | undefined): string {
  return severity && severity in SEVERITY_LABELS ? `sev-${severity}` : 'sev-none';
}

/** 0.834 → "83%" */
export function percent(confidence: number | null | undefined): string {
  return typeof confidence === 'number' && Number.isFinite(confidence) ? `${Math.round(confidence * 100)}%` : '—';
}

/** Milliseconds since the epoch → "2025-05-07 03:21 UTC" (the server does not know the reader's zone). */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** [{kind:'hf_token',count:2},{kind:'email',count:1}] → "2 hf_token, 1 email" */
export function redactionSummary(redactions: readonly { kind: string; count: number }[]): string {
  return redactions.map((r) => `${r.count} ${r.kind}`).join(', ');
}

export function factValue(v: unknown): string {
  if (v === null || v === undefined) return '(unset)';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Multiple-of-1024 sizes read better as "10 MiB" than as a byte count. */
export function limitText(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / 1024 / 1024} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

/** Cuts a text to `n` characters, ending it with "…" when something was cut (never half a surrogate pair). */
export function clip(s: string, n: number): string {
  if (s.length <= n) return s;
  const cut = /[\uD800-\uDBFF]$/.test(s.slice(0, n)) ? s.slice(0, n - 1) : s.slice(0, n);
  return `${cut}…`;
}

export { explanationView } from './explanation-view.js';
