import type { FactValue, Facts, ScanResult, Taxonomy } from './types.js';

const UNIT_GIB: Record<string, number> = {
  b: 1 / 1024 ** 3, kb: 1e3 / 1024 ** 3, kib: 1 / 1024 ** 2, mb: 1e6 / 1024 ** 3, mib: 1 / 1024,
  gb: 1e9 / 1024 ** 3, gib: 1, tb: 1e12 / 1024 ** 3, tib: 1024,
};

/** "844.00 MiB" → 0.824 (GiB). PyTorch and vLLM print binary units; a bare "GB" from vLLM's
 * "Loading model weights took 14.9888 GB" is in fact GiB too (it divides by 2**30), so GB after
 * a decimal number with 4 places is read as GiB; otherwise GB means 1e9 bytes. */
export function parseSize(raw: string): number | null {
  const m = /(-?[\d,]*\.?\d+)\s*([KMGT]?i?B)?\b/i.exec(raw.trim());
  if (!m) return null;
  const value = Number(m[1].replace(/,/g, ''));
  if (!Number.isFinite(value)) return null;
  let unit = (m[2] ?? 'GiB').toLowerCase();
  if (unit === 'gb' && /\.\d{4}/.test(m[1])) unit = 'gib';
  const factor = UNIT_GIB[unit];
  return factor === undefined ? null : round(value * factor, 4);
}

export function round(x: number, places = 2): number {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

/** A captured string as a fact: sizes (`_gib`) in GiB, numbers as numbers, the rest as text. */
export function factValue(name: string, raw: string): FactValue | null {
  if (raw === undefined || raw === null) return null;
  const text = String(raw).trim();
  if (name.endsWith('_gib')) return parseSize(text);
  if (/^-?[\d,]*\.?\d+$/.test(text) && !/^0\d/.test(text)) return Number(text.replace(/,/g, ''));
  return text;
}

/** Facts from the log: the generic extractors first, then the signals of the chosen pattern,
 * whose captures win because they come from the lines that explain the failure. */
export function factsFromScan(tax: Taxonomy, scan: ScanResult, winner: number | null): Facts {
  const facts: Facts = {};
  // generic extractors keep the latest value (progress, memory now); a pattern's captures the
  // first (the line where the failure was reported)
  const take = (signal: number) => {
    const m = scan.matches.get(signal);
    if (!m) return;
    const groups = tax.signals[signal].pattern === -1 ? m.last.groups : m.first.groups;
    for (const [name, raw] of Object.entries(groups)) {
      if (raw === undefined) continue;
      const v = factValue(name, raw);
      if (v !== null) facts[name] = v;
    }
  };
  tax.signals.forEach((s, i) => { if (s.pattern === -1) take(i); });
  if (winner !== null) for (const i of tax.patterns[winner].signals) take(i);
  return facts;
}
