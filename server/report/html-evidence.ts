import type { StepEvent } from '../agent/types.js';
import type { EvidenceLine } from '../diagnosis/types.js';
import { esc, formatDuration } from './escape.js';
import { PROVENANCE_LABEL, type RunView } from './report-data.js';

const STATUS: Record<StepEvent['status'], { icon: string; label: string }> = {
  ok: { icon: '✓', label: 'done' },
  failed: { icon: '✗', label: 'failed' },
  warning: { icon: '!', label: 'warning' },
  skipped: { icon: '–', label: 'skipped' },
};

/** Numbered log lines; `first` null when the line numbers are unknown (a stored tail). */
export function logBlock(lines: { line: number | null; text: string }[]): string {
  return `<pre class="log">${lines.map((l) => `<span class="l"><span class="ln">${l.line ?? ''}</span><span class="t">${esc(l.text)}</span></span>`).join('')}</pre>`;
}

export function evidenceBlock(evidence: EvidenceLine[]): string {
  return logBlock(evidence.map((e) => ({ line: e.line, text: e.text })));
}

export function provenanceTag(run: RunView | null): string {
  const p = run?.provenance;
  if (!p) return '<span class="prov">provenance: <b>not recorded</b></span>';
  return `<span class="prov">provenance: <b>${esc(PROVENANCE_LABEL[p.kind] ?? p.kind)}</b> — ${esc(p.text)}</span>`;
}

/** The timeline: every step with its number, status label, title, duration (with a bar
 * proportional to the longest step), summary, and its evidence lines in <details>. */
export function timelineSection(events: StepEvent[]): string {
  const longest = Math.max(1, ...events.map((e) => e.durationMs));
  const items = events.map((e) => {
    const st = STATUS[e.status] ?? { icon: '?', label: e.status };
    const details: string[] = [];
    if (e.evidence?.length) details.push(`<details${e.status === 'failed' || e.status === 'warning' ? ' open' : ''}><summary>${e.evidence.length} evidence line(s), numbered as in the log</summary>${evidenceBlock(e.evidence)}</details>`);
    const applied = Array.isArray(e.detail?.applied) ? (e.detail.applied as unknown[]).map(String) : [];
    if (applied.length) details.push(`<details><summary>changes applied</summary><ul>${applied.map((a) => `<li><code>${esc(a)}</code></li>`).join('')}</ul></details>`);
    const candidates = Array.isArray(e.detail?.candidates) ? (e.detail.candidates as { category?: unknown; score?: unknown; suppressed_by?: unknown }[]) : [];
    // the explain step: the model's words, open, marked as the model's (the rules' diagnosis stands above)
    if (e.kind === 'explain' && typeof e.detail?.text === 'string' && e.detail.text) details.push(`<details open><summary>the model's explanation (not the rules')</summary><blockquote class="explanation">${esc(e.detail.text)}</blockquote></details>`);
    if (candidates.length) details.push(`<details><summary>${candidates.length} pattern(s) fired</summary><ul>${candidates.map((c) => `<li><code>${esc(c.category)}</code> score ${esc(c.score)}${c.suppressed_by ? ` — suppressed by <code>${esc(c.suppressed_by)}</code>` : ''}</li>`).join('')}</ul></details>`);
    const pct = ((e.durationMs / longest) * 100).toFixed(1);
    return `<li id="step-${esc(e.seq)}">
<span class="n">${esc(e.seq)}</span>
<span class="st-${esc(e.status)}">${st.icon} ${esc(st.label)}</span>
<span class="step-title">${esc(e.title)}</span>
<span class="dur">${esc(formatDuration(e.durationMs))}<span class="bar"><span style="width:${pct}%"></span></span></span>
<div class="step-body">${esc(e.summary)}${details.join('')}</div>
</li>`;
  });
  return `<section class="timeline-section" id="timeline"><h2>Timeline</h2>
<p class="meta">${events.length} step(s) as the agent loop emitted them; durations are wall-clock time on the machine that ran the loop.</p>
<ol class="timeline">${items.join('\n')}</ol></section>`;
}

function runCard(run: RunView | null, missing: string): string {
  if (!run) return `<div class="card"><h3>${esc(missing)}</h3><p class="meta">no recording</p></div>`;
  const exit = run.exitCode === null ? 'exit status not recorded' : `exit ${run.exitCode}${run.timedOut ? ' (timed out)' : ''}`;
  const where = run.tail.first === null ? `last ${run.tail.lines.length} line(s) of stderr as stored with the step` : `stderr lines ${run.tail.first}–${(run.tail.total ?? 0)} of ${run.tail.total}`;
  const lines = run.tail.lines.map((text, i) => ({ line: run.tail.first === null ? null : run.tail.first + i, text }));
  return `<div class="card"><h3>${esc(run.heading)} <span class="pill ${run.exitCode === 0 ? 'tone-ok' : 'tone-fail'}">${esc(exit)}</span></h3>
<p><code>${esc(run.command)}</code></p>
<p>${provenanceTag(run)}</p>
<p class="meta">${esc(where)}${run.durationMs !== null ? ` · process ran ${esc(formatDuration(run.durationMs))}` : ''}${run.simulatedMs !== null ? ` · simulated clock ${esc(formatDuration(run.simulatedMs))}` : ''}</p>
${lines.length ? logBlock(lines) : '<p class="meta">(stderr was empty)</p>'}</div>`;
}

/** Before/after: the failing run's stderr tail beside the fixed run's, each with its provenance. */
export function beforeAfterSection(failing: RunView | null, fixed: RunView | null): string {
  return `<section id="evidence"><h2>Before and after</h2>
${runCard(failing, 'Failing run')}${runCard(fixed, 'Fixed run (not run)')}</section>`;
}
