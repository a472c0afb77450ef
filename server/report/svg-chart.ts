import type { TelemetrySample } from '../agent/types.js';
import { esc, formatNumber } from './escape.js';

/** One line of the chart: a run's telemetry samples (time since the run started, GiB used). */
export interface ChartSeries {
  role: 'failing' | 'fixed' | 'baseline';
  name: string;
  samples: TelemetrySample[];
}

const W = 760;
const H = 320;
const M = { left: 60, right: 20, top: 24, bottom: 48 };
const MAX_POINTS = 600;

/** A "nice" tick step (1, 2, 2.5 or 5 x 10^k) giving about `count` ticks up to `max`. */
export function niceStep(max: number, count = 5): number {
  const raw = Math.max(max, 1e-9) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
}

/** Drops samples that only repeat their neighbours (flat stretches) and, for very long series,
 * keeps each bucket's highest sample so peaks survive. */
export function thin(samples: TelemetrySample[]): TelemetrySample[] {
  const s = samples.filter((p, i, a) => i === 0 || i === a.length - 1 || !(a[i - 1].vram_used_gib === p.vram_used_gib && a[i + 1].vram_used_gib === p.vram_used_gib));
  if (s.length <= MAX_POINTS) return s;
  const size = Math.ceil(s.length / (MAX_POINTS - 2));
  const out = [s[0]];
  for (let i = 1; i < s.length - 1; i += size) out.push(s.slice(i, Math.min(i + size, s.length - 1)).reduce((a, b) => (b.vram_used_gib > a.vram_used_gib ? b : a)));
  out.push(s[s.length - 1]);
  return out;
}

/** GPU memory over time as inline SVG: one polyline per run, the card's total as a dashed line,
 * GiB and seconds on the axes. `caption` says where the samples came from ("simulated telemetry"). */
export function memoryChartSvg(series: ChartSeries[], caption: string): string {
  const all = series.flatMap((s) => s.samples);
  const totals = [...new Set(all.map((p) => Number(p.vram_total_gib.toFixed(2))).filter((t) => t > 0))];
  const xMaxRaw = Math.max(1, ...all.map((p) => p.t_ms / 1000));
  const yMaxRaw = Math.max(1, ...all.map((p) => p.vram_used_gib), ...totals);
  const xStep = niceStep(xMaxRaw, 8);
  const yStep = niceStep(yMaxRaw, 5);
  const xMax = Math.ceil(xMaxRaw / xStep - 1e-9) * xStep;
  const yMax = Math.ceil(yMaxRaw / yStep - 1e-9) * yStep;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const x = (s: number) => (M.left + (s / xMax) * pw).toFixed(1);
  const y = (g: number) => (M.top + ph - (g / yMax) * ph).toFixed(1);

  const out: string[] = [];
  out.push(`<svg class="chart" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-labelledby="chart-title">`);
  out.push(`<title id="chart-title">GPU memory used over time (${esc(caption)})</title>`);
  for (let v = 0; v <= yMax + 1e-9; v += yStep) {
    out.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${y(v)}" y2="${y(v)}"/>`);
    out.push(`<text class="tick" x="${M.left - 8}" y="${y(v)}" dy="0.32em" text-anchor="end">${esc(formatNumber(v, 1))}</text>`);
  }
  for (let v = 0; v <= xMax + 1e-9; v += xStep) {
    out.push(`<line class="tick-mark" x1="${x(v)}" x2="${x(v)}" y1="${M.top + ph}" y2="${M.top + ph + 5}"/>`);
    out.push(`<text class="tick" x="${x(v)}" y="${M.top + ph + 18}" text-anchor="middle">${esc(formatNumber(v, 1))}</text>`);
  }
  out.push(`<line class="axis" x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + ph}"/>`);
  out.push(`<line class="axis" x1="${M.left}" x2="${W - M.right}" y1="${M.top + ph}" y2="${M.top + ph}"/>`);
  out.push(`<text class="axis-label" x="${M.left + pw / 2}" y="${H - 8}" text-anchor="middle">seconds since the run started</text>`);
  out.push(`<text class="axis-label" transform="translate(16 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">GPU memory used (GiB)</text>`);
  for (const t of totals) {
    out.push(`<line class="total" x1="${M.left}" x2="${W - M.right}" y1="${y(t)}" y2="${y(t)}"/>`);
    out.push(`<text class="total-label" x="${M.left + 8}" y="${y(t)}" dy="-0.45em">card total ${esc(formatNumber(t))} GiB</text>`);
  }
  out.push(`<text class="caption" x="${W - M.right}" y="${M.top - 8}" text-anchor="end">${esc(caption)}</text>`);
  // baseline underneath, then the fixed run, then the failing run dashed on top so overlaps show
  const order = { baseline: 0, fixed: 1, failing: 2 } as const;
  for (const s of [...series].sort((a, b) => order[a.role] - order[b.role])) {
    if (!s.samples.length) continue;
    const pts = thin(s.samples).map((p) => `${x(p.t_ms / 1000)},${y(p.vram_used_gib)}`).join(' ');
    out.push(`<polyline class="series s-${s.role}" points="${pts}"><title>${esc(s.name)}</title></polyline>`);
    const marks = s.samples.length <= 3 ? s.samples : [s.samples[s.samples.length - 1]];
    for (const p of marks) out.push(`<circle class="mark s-${s.role}" cx="${x(p.t_ms / 1000)}" cy="${y(p.vram_used_gib)}" r="4"/>`);
  }
  out.push('</svg>');
  return out.join('\n');
}
