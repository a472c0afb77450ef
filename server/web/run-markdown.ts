import type { Diagnosis } from '../diagnosis/types.js';
import type { RunRecord } from '../store/runs.js';
import { percent, redactionSummary, severityLabel, utcTime } from './view-helpers.js';

/** A run as Markdown, ready to paste into a GitHub issue. Text from the log goes into code
 * blocks fenced longer than any backtick run inside it; prose fields are kept on one line. */
export function runMarkdown(run: RunRecord, d: Diagnosis, permalink: string): string {
  const out: string[] = [];
  out.push(`## ReplayLab diagnosis: \`${d.category}\` — ${inline(d.title)}`, '');
  out.push(`**Severity:** ${severityLabel(d.severity)} · **Confidence:** ${percent(d.confidence)} · [permalink](${permalink}) · ${utcTime(run.createdAt)}`, '');
  out.push(`**Root cause:** ${inline(d.root_cause)}`, '');
  if (d.evidence.length) {
    const width = String(Math.max(...d.evidence.map((e) => e.line))).length;
    out.push('**Evidence** (line numbers in the pasted log):', '');
    out.push(...fence(d.evidence.map((e) => `${String(e.line).padStart(width)} | ${e.text.trimEnd()}`).join('\n'), 'text'), '');
  }
  const facts = Object.entries(d.facts);
  if (facts.length) {
    out.push('| fact | value |', '| --- | --- |', ...facts.map(([k, v]) => `| ${cell(k)} | ${cell(String(v))} |`), '');
  }
  if (d.fix) {
    out.push(`### Fix`, '', inline(d.fix.summary), '');
    if (d.fix.changes.length) {
      out.push(...fence(d.fix.changes.flatMap((c) => [`- ${c.param}: ${c.from ?? '(unset)'}`, `+ ${c.param}: ${c.to}`]).join('\n'), 'diff'), '');
      out.push(...d.fix.changes.map((c) => `- \`${c.param}\`: ${inline(c.why)}`), '');
    }
    const env = Object.entries(d.fix.env);
    if (env.length) out.push('Environment:', '', ...fence(env.map(([k, v]) => `export ${k}=${v}`).join('\n'), 'bash'), '');
    if (d.fix.command) out.push('Fixed command:', '', ...fence(d.fix.command, 'bash'), '');
    if (d.fix.risks?.length) out.push('Risks:', '', ...d.fix.risks.map((r) => `- ${inline(r)}`), '');
  } else if (d.category !== 'no_failure') {
    out.push('No fix computed: no known failure pattern explains this log.', '');
  }
  if (d.alternatives.length) {
    out.push(`Also considered: ${d.alternatives.map((a) => `\`${a.category}\` (${percent(a.confidence)})`).join(', ')}`, '');
  }
  if (run.redactions.length) out.push(`_Redacted before storing: ${redactionSummary(run.redactions)}._`, '');
  return out.join('\n');
}

/** Fences a block with more backticks than the longest run inside it. */
export function fence(text: string, lang: string): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return [`${f}${lang}`, text, f];
}

const inline = (s: string) => s.replace(/\s+/g, ' ').trim();
const cell = (s: string) => inline(s).replace(/\|/g, '\\|');
