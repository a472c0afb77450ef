import type { AgentResult } from '../agent/types.js';
import { esc, formatDollars, formatNumber, formatRate, formatValue } from './escape.js';
import { evidenceBlock, provenanceTag } from './html-evidence.js';
import type { CostView, DiffRow, ThroughputRow } from './report-facts.js';
import { PROVENANCE_LABEL, type RunView } from './report-data.js';

export function diagnosisSection(result: AgentResult): string {
  const d = result.diagnosis;
  if (!d) return `<section id="diagnosis"><h2>Root cause</h2><p class="meta">No diagnosis was recorded.</p></section>`;
  const facts = Object.entries(d.facts ?? {});
  const alts = (d.alternatives ?? []).map((a) => `<code>${esc(a.category)}</code> (${esc(Math.round(a.confidence * 100))}%)`).join(', ');
  return `<section id="diagnosis"><h2>Root cause</h2>
<p><span class="pill tone-info">${esc(d.category)}</span> <span class="meta">severity ${esc(d.severity)} · confidence ${esc(Math.round(d.confidence * 100))}%</span></p>
<p><strong>${esc(d.title)}</strong></p>
<p>${esc(d.root_cause)}</p>
${d.evidence.length ? `<h3>Evidence (line numbers in the failing run's log)</h3>${evidenceBlock(d.evidence)}` : '<p class="meta">No evidence lines matched.</p>'}
${facts.length ? `<details><summary>${facts.length} fact(s) read from the log and the config</summary><table><thead><tr><th>fact</th><th>value</th></tr></thead><tbody>${facts.map(([k, v]) => `<tr><td><code>${esc(k)}</code></td><td class="num">${esc(formatValue(v))}</td></tr>`).join('')}</tbody></table></details>` : ''}
${alts ? `<p class="meta">Also considered: ${alts}</p>` : ''}</section>`;
}

const STATUS_NOTE: Record<DiffRow['status'], string> = {
  applied: 'applied',
  alternative: 'alternative, not applied',
  'not applied': 'not applied: the experiment has no such setting',
  advice: 'advice, not a setting',
};

/** The config diff: each applied change from → to with its arithmetic, then what it gave up. */
export function fixSection(result: AgentResult, rows: DiffRow[], failing: RunView | null, fixed: RunView | null): string {
  const fix = result.diagnosis?.fix;
  if (!fix && !rows.length) return `<section id="fix"><h2>The fix</h2><p class="meta">No fix was computed.</p></section>`;
  const body = rows.map((r) => `<tr><td class="setting"><code>${esc(r.param)}</code>${r.plannedAs ? `<div class="why">planned as <code>${esc(r.plannedAs)}</code></div>` : ''}</td>
<td class="num mono"><span class="from">${esc(r.from)}</span> → <span class="to">${esc(r.to)}</span>${r.finalValue !== null ? `<div class="why">last attempt ran with ${esc(r.finalValue)}</div>` : ''}</td>
<td class="why">${r.why ? esc(r.why) : '—'}</td><td>${esc(STATUS_NOTE[r.status])}</td></tr>`).join('\n');
  const gaveUp = result.verification?.gaveUp ?? [];
  const risks = fix?.risks ?? [];
  const env = Object.entries(fix?.env ?? {});
  return `<section id="fix"><h2>The fix</h2>
${fix ? `<p>${esc(fix.summary)}</p>` : ''}
<table><thead><tr><th>setting</th><th>from → to</th><th>why (the arithmetic)</th><th>status</th></tr></thead><tbody>${body}</tbody></table>
${env.length ? `<p>Environment: ${env.map(([k, v]) => `<code>${esc(k)}=${esc(v)}</code>`).join(' ')}</p>` : ''}
${failing?.command || fixed?.command ? `<h3>Command</h3><pre class="log"><span class="l"><span class="ln from">−</span><span class="t from">${esc(failing?.command ?? '(not recorded)')}</span></span><span class="l"><span class="ln to">+</span><span class="t to">${esc(fixed?.command ?? '(not re-run)')}</span></span></pre>` : ''}
<h3>What the fix gave up</h3>
${gaveUp.length ? `<ul>${gaveUp.map((g) => `<li><code>${esc(g.param)}</code>: ${esc(formatValue(g.from))} → ${esc(formatValue(g.to))}</li>`).join('')}</ul>` : '<p>No setting was lowered.</p>'}
${risks.length ? `<ul class="why">${risks.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : ''}</section>`;
}

export function throughputSection(rows: ThroughputRow[]): string {
  if (!rows.length) return '';
  return `<section id="throughput"><h2>Throughput before and after</h2>
<table><thead><tr><th>metric</th><th>failing run</th><th>fixed run</th><th>baseline</th></tr></thead><tbody>
${rows.map((r) => `<tr><td>${esc(r.metric)} <span class="why">(${esc(r.unit)})</span></td><td class="num">${esc(r.failing)}${r.failingNote ? `<div class="why">${esc(r.failingNote)}</div>` : ''}</td><td class="num">${esc(r.fixed)}</td><td class="num">${esc(r.baseline)}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

export function verificationSection(result: AgentResult): string {
  const v = result.verification;
  if (!v) return `<section id="verification"><h2>Verification</h2><p class="meta">Nothing was verified: ${result.verdict === 'no_failure' ? 'the run did not fail' : 'there was no re-run'}.</p></section>`;
  return `<section id="verification"><h2>Verification</h2>
<p>${v.recovered ? 'Every check holds: the fixed run recovered.' : 'Not every check holds: the fixed run did not recover.'}</p>
<table><thead><tr><th>metric</th><th>expected</th><th>actual</th><th>result</th></tr></thead><tbody>
${v.checks.map((c) => `<tr><td><code>${esc(c.metric)}</code></td><td class="num">${esc(c.expected)}</td><td class="num">${esc(c.actual)}</td><td class="${c.ok ? 'st-ok' : 'st-failed'}">${c.ok ? '✓ holds' : '✗ fails'}</td></tr>`).join('\n')}
</tbody></table></section>`;
}

export function costSection(c: CostView | null): string {
  if (!c) return `<section id="cost"><h2>Cost</h2><p class="meta">No cost was computed for this run.</p></section>`;
  const source = c.source === 'simulated'
    ? `GPU time is the <b>simulated clock</b>: how long the CPU simulator's model says these runs would take on the GPU${c.processSeconds !== null ? ` (the simulator processes themselves ran ${formatNumber(c.processSeconds)} s on the CPU)` : ''}. No GPU was used.`
    : `GPU time is <b>measured</b>: the wall-clock duration of the runs on the GPU.`;
  return `<section id="cost"><h2>Cost</h2>
<p class="formula">Agent: ${esc(formatNumber(c.gpuSeconds, 1))} GPU-seconds × ${esc(formatRate(c.rate))}/GPU-hour ÷ 3600 = <b>${esc(formatDollars(c.dollars))}</b></p>
<p class="formula">Manual estimate: ${esc(formatNumber(c.manualHours))} h${c.manualRate !== null ? ` × ${esc(formatRate(c.manualRate))}/h` : ''} = <b>${esc(formatDollars(c.manualDollars))}</b></p>
<p class="meta">${source} Both rates — ${esc(formatRate(c.rate))} per GPU-hour and the manual debugging estimate (${esc(formatNumber(c.manualHours))} h${c.manualRate !== null ? ` at ${esc(formatRate(c.manualRate))}/h` : ''}) — are configurable inputs, not measurements.</p>
<details><summary>GPU-seconds per run</summary><table><thead><tr><th>run</th><th>GPU-seconds</th></tr></thead><tbody>
${c.runs.map((r) => `<tr><td>${esc(r.heading)}</td><td class="num">${r.gpuSeconds === null ? '—' : esc(formatNumber(r.gpuSeconds, 1))}${r.derived ? ' <span class="why">(the total less the other runs)</span>' : ''}</td></tr>`).join('')}
<tr><th>total</th><th class="num">${esc(formatNumber(c.gpuSeconds, 1))}</th></tr></tbody></table></details></section>`;
}

/** Every recording the report cites, with where it came from. */
export function provenanceSection(runs: (RunView | null)[]): string {
  const present = runs.filter((r): r is RunView => !!r);
  return `<section id="provenance"><h2>Provenance of the evidence</h2>
<ul>${present.map((r) => `<li><strong>${esc(r.heading)}</strong><br>${provenanceTag(r)}</li>`).join('')}</ul>
<p class="meta">${present.some((r) => r.provenance?.kind !== 'live') ? `Evidence marked ${esc(PROVENANCE_LABEL.simulated)} or ${esc(PROVENANCE_LABEL.reconstructed)} is not a capture from a GPU.` : 'All evidence was recorded live.'}</p></section>`;
}
