import { formatDollars, formatDuration, formatNumber, formatRate, formatValue, utc } from './escape.js';
import { mdCell, mdCode, mdFence, mdTable, mdText } from './markdown-helpers.js';
import { configDiff, costView, throughputRows } from './report-facts.js';
import { evidenceKind, PROVENANCE_LABEL, runViews, telemetryCaption, verdictView, type ReportInput } from './report-data.js';

const STATUS = { ok: '✓ done', failed: '✗ failed', warning: '! warning', skipped: '– skipped' } as const;

/** The same facts as the HTML report, as GitHub-issue-ready Markdown: verdict, root cause,
 * evidence lines in a fenced block, the fix table, verification, cost, provenance. */
export function renderReportMarkdown(input: ReportInput): string {
  const { scenario, result, events } = input;
  const runs = runViews(input);
  const all = [runs.failing, ...runs.attempts, runs.baseline];
  const verdict = verdictView(result, events);
  const kind = evidenceKind(all);
  const d = result.diagnosis;
  const out: string[] = [];

  out.push(`## ReplayLab report: ${mdText(scenario.title)}`, '');
  out.push(`**Verdict: ${mdText(verdict.label)}** — ${mdText(verdict.text)}`, '');
  out.push(`Scenario ${mdCode(scenario.id)} · run ${mdCode(input.runId)} · generated ${utc(input.generatedAt)} · evidence: **${kind}**${kind === 'simulated' ? ' (CPU simulators, not a GPU capture)' : ''}`, '');

  out.push('### Root cause', '');
  if (d) {
    out.push(`${mdCode(d.category)} — ${mdText(d.title)} (severity ${mdText(d.severity)}, confidence ${Math.round(d.confidence * 100)}%)`, '');
    out.push(mdText(d.root_cause), '');
    if (d.evidence.length) {
      const width = String(Math.max(...d.evidence.map((e) => e.line))).length;
      out.push("Evidence (line numbers in the failing run's log):", '');
      out.push(...mdFence(d.evidence.map((e) => `${String(e.line).padStart(width)} | ${e.text.trimEnd()}`).join('\n'), 'text'), '');
    }
  } else {
    out.push('No diagnosis was recorded.', '');
  }

  out.push('### The fix', '');
  const rows = configDiff(result, events, result.attempts.at(-1)?.params ?? null);
  if (d?.fix) out.push(mdText(d.fix.summary), '');
  if (rows.length) {
    out.push(...mdTable(['setting', 'from', 'to', 'why (the arithmetic)', 'status'], rows.map((r) => [
      mdCode(r.param, true) + (r.plannedAs ? ` (planned as ${mdCode(r.plannedAs, true)})` : ''),
      mdCell(r.from), `**${mdCell(r.to)}**${r.finalValue !== null ? ` (last attempt: ${mdCell(r.finalValue)})` : ''}`,
      mdCell(r.why || '—'), mdCell(r.status),
    ])), '');
  } else {
    out.push('No fix was computed.', '');
  }
  if (runs.failing?.command && runs.fixed?.command) out.push(...mdFence(`- ${runs.failing.command}\n+ ${runs.fixed.command}`, 'diff'), '');
  const gaveUp = result.verification?.gaveUp ?? [];
  out.push(`**What the fix gave up:** ${gaveUp.length ? gaveUp.map((g) => `${mdCode(g.param)} ${mdText(formatValue(g.from))} → ${mdText(formatValue(g.to))}`).join(', ') : 'no setting was lowered'}.`, '');
  if (d?.fix?.risks?.length) out.push(...d.fix.risks.map((r) => `- ${mdText(r)}`), '');

  out.push('### Verification', '');
  const v = result.verification;
  if (v) {
    out.push(...mdTable(['metric', 'expected', 'actual', 'result'], v.checks.map((c) => [mdCode(c.metric, true), mdCell(c.expected), mdCell(c.actual), c.ok ? '✓ holds' : '✗ fails'])), '');
  } else {
    out.push(`Nothing was verified: ${result.verdict === 'no_failure' ? 'the run did not fail' : 'there was no re-run'}.`, '');
  }

  const tp = throughputRows(result, runs.failing, runs.fixed, runs.baseline);
  if (tp.length) {
    out.push('### Throughput and memory before / after', '');
    out.push(...mdTable(['metric', 'failing run', 'fixed run', 'baseline'], tp.map((r) => [`${mdCell(r.metric)} (${mdCell(r.unit)})`, mdCell(r.failing) + (r.failingNote ? ` (${mdCell(r.failingNote)})` : ''), mdCell(r.fixed), mdCell(r.baseline)])), '');
    out.push(`_GPU memory figures are ${telemetryCaption(evidenceKind(all.filter((r) => r?.telemetry.length)), all)}._`, '');
  }

  out.push('### Cost', '');
  const c = costView(result, runs.failing, runs.attempts, runs.baseline);
  if (c) {
    out.push(`- Agent: ${formatNumber(c.gpuSeconds, 1)} GPU-seconds × ${formatRate(c.rate)}/GPU-hour ÷ 3600 = **${formatDollars(c.dollars)}**`);
    out.push(`- Manual estimate: ${formatNumber(c.manualHours)} h${c.manualRate !== null ? ` × ${formatRate(c.manualRate)}/h` : ''} = **${formatDollars(c.manualDollars)}**`);
    out.push(`- GPU time source: ${c.source === 'simulated' ? `simulated clock (the CPU simulators' model of the real runs${c.processSeconds !== null ? `; the processes ran ${formatNumber(c.processSeconds)} s on the CPU` : ''}; no GPU was used)` : 'measured wall-clock time of the runs'}.`);
    out.push('- Both rates (per GPU-hour and the manual debugging estimate) are configurable inputs, not measurements.', '');
  } else {
    out.push('No cost was computed.', '');
  }

  out.push('### Timeline', '');
  out.push(...mdTable(['#', 'status', 'step', 'duration', 'summary'], events.map((e) => [String(e.seq), STATUS[e.status] ?? mdCell(e.status), mdCell(e.title), formatDuration(e.durationMs), mdCell(e.summary)])), '');

  const explained = events.find((e) => e.kind === 'explain' && typeof e.detail?.text === 'string' && e.detail.text);
  if (explained) {
    out.push("### The model's explanation", '', `_${mdText(explained.summary)}_`, '');
    out.push(...String(explained.detail.text).split('\n').map((l) => `> ${mdText(l)}`), '');
  }

  out.push('### Provenance', '');
  for (const r of all) {
    if (!r) continue;
    out.push(`- ${mdText(r.heading)}: ${r.provenance ? `**${PROVENANCE_LABEL[r.provenance.kind] ?? mdText(r.provenance.kind)}** — ${mdText(r.provenance.text)}` : 'not recorded'}`);
  }
  out.push('');
  return out.join('\n');
}
