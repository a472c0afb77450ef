import type { EvidenceLine, ScanResult, Taxonomy } from './types.js';

export interface Candidate {
  pattern: number;
  score: number;
  decisive: boolean;
  fires: boolean;
  firstLine: number;
  suppressedBy: string | null;
}

export interface Decision {
  /** index of the chosen pattern; null only when the taxonomy lacks no_failure/unknown */
  winner: number | null;
  confidence: number;
  candidates: Candidate[];
  alternatives: { category: string; confidence: number }[];
  evidence: EvidenceLine[];
}

const MAX_EVIDENCE = 8;

/** Scores every pattern on what the scan found and picks the root cause.
 *
 * Score: the sum of the weights of the distinct signals matched (a signal seen 100 times counts
 * once: repetition is not more evidence). A pattern fires on a decisive signal or a score of 1.
 * Among firing failures, precedence removes symptoms (`over` / `under`); the highest score wins,
 * the earliest first line breaking ties (a cause is printed before its consequences). Warnings
 * win only when no failure fires and nothing generic failed; then no_failure or unknown. */
export function decide(tax: Taxonomy, scan: ScanResult): Decision {
  const candidates: Candidate[] = tax.patterns.map((p, index) => {
    let score = 0;
    let decisive = false;
    let firstLine = Infinity;
    for (const s of p.signals) {
      const m = scan.matches.get(s);
      if (!m) continue;
      const sig = tax.signals[s];
      score += sig.weight;
      if (sig.decisive && sig.weight > 0) decisive = true;
      if (sig.weight > 0) firstLine = Math.min(firstLine, m.first.line);
    }
    return { pattern: index, score, decisive, fires: score > 0 && (decisive || score >= 1), firstLine, suppressedBy: null };
  });

  const roleOf = (c: Candidate) => tax.patterns[c.pattern].role;
  const failures = candidates.filter((c) => c.fires && roleOf(c) === 'failure');
  for (const c of failures) {
    const p = tax.patterns[c.pattern];
    const boss = failures.find((o) => {
      if (o === c) return false;
      const q = tax.patterns[o.pattern];
      const qOverP = q.over.has(p.id) || p.under.has(q.id);
      const pOverQ = p.over.has(q.id) || q.under.has(p.id);
      return qOverP && !pOverQ;
    });
    if (boss) c.suppressedBy = tax.patterns[boss.pattern].id;
  }
  const rank = (a: Candidate, b: Candidate) => b.score - a.score || a.firstLine - b.firstLine;
  const live = failures.filter((c) => !c.suppressedBy).sort(rank);

  let winner: Candidate | undefined = live[0];
  let confidence = 0;
  if (winner) {
    const rival = live[1]?.score ?? 0;
    confidence = saturate(winner.score) * (winner.score / (winner.score + rival));
  } else {
    const generic = candidates.find((c) => roleOf(c) === 'generic' && c.fires);
    const warning = candidates.filter((c) => roleOf(c) === 'warning' && c.fires).sort(rank)[0];
    const healthy = candidates.find((c) => roleOf(c) === 'healthy');
    // a warning pattern is the cause when the error line itself is its message (FlashAttention
    // refusing to run on this GPU): the generic error and the warning matched the same line
    const fatalWarning = generic && warning && errorLines(tax, scan, generic.pattern).has(warning.firstLine) ? warning : undefined;
    if (fatalWarning) {
      winner = fatalWarning;
      confidence = saturate(fatalWarning.score) * 0.9;
    } else if (generic) {
      winner = generic;
      confidence = 0.5 * saturate(generic.score);
    } else if (warning) {
      winner = warning;
      confidence = saturate(warning.score) * 0.9;
    } else {
      winner = healthy ?? candidates.find((c) => tax.patterns[c.pattern].id === 'no_failure');
      confidence = healthy && healthy.score > 0 ? 0.6 + 0.35 * saturate(healthy.score) : 0.5;
    }
  }

  const alternatives = candidates
    .filter((c) => c !== winner && c.score > 0 && (roleOf(c) === 'failure' || roleOf(c) === 'warning'))
    .sort(rank)
    .slice(0, 4)
    // an alternative's confidence: its own strength, lowered when precedence ruled it a symptom
    // and in proportion to how far it trails the winner
    .map((c) => ({
      category: tax.patterns[c.pattern].id,
      confidence: round2(saturate(c.score) * (c.suppressedBy ? 0.3 : 0.6) * (winner ? Math.min(1, c.score / Math.max(winner.score, 0.01)) : 1)),
    }));

  return {
    winner: winner?.pattern ?? null,
    confidence: round2(Math.min(0.99, confidence)),
    candidates,
    alternatives,
    evidence: winner ? evidenceFor(tax, scan, winner.pattern) : [],
  };
}

function errorLines(tax: Taxonomy, scan: ScanResult, pattern: number): Set<number> {
  const lines = new Set<number>();
  for (const s of tax.patterns[pattern].signals) {
    const m = scan.matches.get(s);
    if (m) { lines.add(m.first.line); lines.add(m.last.line); }
  }
  return lines;
}

function evidenceFor(tax: Taxonomy, scan: ScanResult, pattern: number): EvidenceLine[] {
  const seen = new Map<number, string>();
  const signals = tax.patterns[pattern].signals.filter((s) => tax.signals[s].weight > 0);
  // decisive signals first, then the rest; first and last occurrence of each
  signals.sort((a, b) => Number(tax.signals[b].decisive) - Number(tax.signals[a].decisive));
  for (const s of signals) {
    const m = scan.matches.get(s);
    if (!m) continue;
    seen.set(m.first.line, m.first.text);
    if (m.count > 1) seen.set(m.last.line, m.last.text);
  }
  return [...seen.entries()].map(([line, text]) => ({ line, text })).sort((a, b) => a.line - b.line).slice(0, MAX_EVIDENCE);
}

/** 1 decisive signal (weight 1) → 0.70; weight 1.5 → 0.83; two → 0.91; grows toward 1. */
function saturate(score: number): number {
  return 1 - Math.exp(-1.2 * Math.max(0, score));
}

const round2 = (x: number) => Math.round(x * 100) / 100;
