import type { Diagnosis } from './types.js';

/** The human-readable diagnosis the CLI prints by default (and the Markdown export reuses). */
export function formatDiagnosisText(d: Diagnosis): string {
  const out: string[] = [];
  out.push(`${d.category} — ${d.title}`);
  out.push(`severity ${d.severity}, confidence ${d.confidence.toFixed(2)}`);
  out.push('', `Root cause: ${d.root_cause}`);
  if (d.evidence.length) {
    out.push('', 'Evidence:');
    const width = String(Math.max(...d.evidence.map((e) => e.line))).length;
    for (const e of d.evidence) out.push(`  ${String(e.line).padStart(width)} | ${e.text.trim()}`);
  }
  const facts = Object.entries(d.facts);
  if (facts.length) out.push('', `Facts: ${facts.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  if (d.fix) {
    out.push('', `Fix: ${d.fix.summary}`);
    for (const c of d.fix.changes) {
      out.push(`  ${c.param}: ${c.from ?? '(unset)'} → ${c.to}`);
      out.push(`    why: ${c.why}`);
    }
    const env = Object.entries(d.fix.env);
    if (env.length) out.push(`  env: ${env.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    if (d.fix.command) out.push('', `Fixed command:`, `  ${d.fix.command}`);
    if (d.fix.risks?.length) out.push('', 'Risks:', ...d.fix.risks.map((r) => `  - ${r}`));
  } else if (d.category !== 'no_failure') {
    out.push('', 'Fix: none computed (no known pattern explains this failure).');
  }
  if (d.alternatives.length) {
    out.push('', `Also considered: ${d.alternatives.map((a) => `${a.category} (${a.confidence.toFixed(2)})`).join(', ')}`);
  }
  return out.join('\n');
}
