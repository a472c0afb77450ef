import { esc, formatNumber, utc } from './escape.js';
import { beforeAfterSection, timelineSection } from './html-evidence.js';
import { costSection, diagnosisSection, fixSection, provenanceSection, throughputSection, verificationSection } from './html-fix.js';
import { configDiff, costView, throughputRows } from './report-facts.js';
import { evidenceKind, runViews, telemetryCaption, verdictView, type ReportInput, type RunView } from './report-data.js';
import { REPORT_CSS } from './styles.js';
import { memoryChartSvg, type ChartSeries } from './svg-chart.js';

export type { ReportInput } from './report-data.js';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** The run as ONE self-contained HTML file: inline CSS, inline SVG, no scripts, no external
 * requests (a CSP meta tag forbids any). Every value from the run is escaped. */
export function renderReportHtml(input: ReportInput): string {
  const { scenario, result, events } = input;
  const runs = runViews(input);
  const verdict = verdictView(result, events);
  const kind = evidenceKind([runs.failing, ...runs.attempts, runs.baseline]);
  const finalParams = input.result.attempts.at(-1)?.params ?? null;
  const title = `ReplayLab report — ${scenario.title}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>${esc(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body><main>
<header>
<p class="eyebrow">ReplayLab report · scenario <code>${esc(scenario.id)}</code> · run <code>${esc(input.runId)}</code> · generated ${esc(utc(input.generatedAt))}</p>
<h1>${esc(scenario.title)}</h1>
<p>${esc(scenario.summary)}</p>
<p>${evidenceNote(kind)}</p>
</header>
<div class="banner tone-${verdict.tone}" role="status"><div class="verdict">${esc(verdict.label)}</div>
<p>${esc(verdict.text)}${result.diagnosis ? ` Root cause: <code>${esc(result.diagnosis.category)}</code> — ${esc(result.diagnosis.root_cause)}` : ''}</p></div>
${timelineSection(events)}
${diagnosisSection(result)}
${fixSection(result, configDiff(result, events, finalParams), runs.failing, runs.fixed)}
${beforeAfterSection(runs.failing, runs.fixed)}
${chartSection(runs.failing, runs.fixed, runs.baseline)}
${throughputSection(throughputRows(result, runs.failing, runs.fixed, runs.baseline))}
${verificationSection(result)}
${costSection(costView(result, runs.failing, runs.attempts, runs.baseline))}
${provenanceSection([runs.failing, ...runs.attempts, runs.baseline])}
<footer>This file is self-contained: it loads nothing from anywhere (no scripts, fonts or images; a Content-Security-Policy forbids any request). Written by ReplayLab from the run's recorded step events.</footer>
</main></body>
</html>
`;
}

function evidenceNote(kind: ReturnType<typeof evidenceKind>): string {
  const text = {
    simulated: 'Evidence: <b>simulated</b> — produced by CPU simulators, not captured on a GPU.',
    reconstructed: 'Evidence: <b>reconstructed</b> from published figures, not captured by this run.',
    measured: 'Evidence: recorded live.',
    unknown: 'Evidence: provenance not recorded for every run.',
  }[kind];
  return `<span class="prov">${text}</span>`;
}


function legendLine(s: ChartSeries, run: RunView): string {
  if (!s.samples.length) return `<li><span class="swatch sw-${s.role}"></span>${esc(s.name)}: no telemetry samples recorded</li>`;
  const exit = run.exitCode !== null ? ` (exit ${esc(run.exitCode)})` : '';
  const at = (p: { t_ms: number; vram_used_gib: number }) => `${esc(formatNumber(p.vram_used_gib))} GiB at ${esc(formatNumber(p.t_ms / 1000, 1))} s`;
  if (s.samples.length === 1) return `<li><span class="swatch sw-${s.role}"></span>${esc(s.name)} — one sample: ${at(s.samples[0])}${exit}</li>`;
  const peak = s.samples.reduce((a, b) => (b.vram_used_gib > a.vram_used_gib ? b : a));
  const end = s.samples[s.samples.length - 1];
  return `<li><span class="swatch sw-${s.role}"></span>${esc(s.name)} — peak ${at(peak)}; ${s.samples.length} samples over ${esc(formatNumber(end.t_ms / 1000, 1))} s${exit}</li>`;
}

function chartSection(failing: RunView | null, fixed: RunView | null, baseline: RunView | null): string {
  const pairs: [ChartSeries, RunView][] = [];
  if (failing) pairs.push([{ role: 'failing', name: 'failing run', samples: failing.telemetry }, failing]);
  if (fixed) pairs.push([{ role: 'fixed', name: 'fixed run', samples: fixed.telemetry }, fixed]);
  if (baseline) pairs.push([{ role: 'baseline', name: 'baseline run', samples: baseline.telemetry }, baseline]);
  const withData = pairs.filter(([s]) => s.samples.length);
  const caption = telemetryCaption(evidenceKind(withData.map(([, r]) => r)), withData.map(([, r]) => r));
  const body = withData.length
    ? `${memoryChartSvg(withData.map(([s]) => s), caption)}<ul class="legend">${pairs.map(([s, r]) => legendLine(s, r)).join('')}</ul>`
    : '<p class="meta">No telemetry samples were recorded for these runs.</p>';
  return `<section id="memory"><h2>GPU memory over time <span class="pill ${caption === 'measured telemetry' ? 'tone-info' : 'tone-warn'}">${esc(caption)}</span></h2>
<p class="meta">GPU memory in use (GiB) against seconds since each run started${caption.startsWith('simulated') ? ', on the simulator\'s clock' : ''}; the dashed line is the card's total.</p>
${body}</section>`;
}
