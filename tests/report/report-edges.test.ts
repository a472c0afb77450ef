import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentResult, StepEvent } from '../../server/agent/types.js';
import { esc } from '../../server/report/escape.js';
import { mdCode, mdFence, mdText } from '../../server/report/markdown-helpers.js';
import { renderReportMarkdown } from '../../server/report/render-markdown.js';
import { renderReportHtml } from '../../server/report/render-report.js';
import { verdictView } from '../../server/report/report-data.js';
import { memoryChartSvg, niceStep, thin } from '../../server/report/svg-chart.js';
import { reportInput, runLoop, scenarios, type LoopRun } from './fixtures.js';
import { assertSelfContained, section } from './html-asserts.js';

const XSS = '<script>alert(1)</script>';
let hostile: LoopRun;
let plain: LoopRun;

beforeAll(async () => {
  const sc = scenarios().find((s) => s.id === 'vllm-kv-cache')!;
  [hostile, plain] = await Promise.all([
    // every run's stderr ends with a line of markup, as a log can
    runLoop({ ...sc, title: `${sc.title} ${XSS}`, summary: `<img src="https://evil.example/x.png"> ${sc.summary}` }, { transform: (r) => ({ ...r, stderr: `${r.stderr}${XSS}\n<a href="https://evil.example">x</a>\n` }) }),
    runLoop(sc),
  ]);
}, 120_000);

describe('hostile text from logs', () => {
  it('is escaped in the HTML: markup in logs, titles and summaries stays text', () => {
    const input = { ...reportInput(hostile), runId: `"><script>alert(2)</script>` };
    const html = renderReportHtml(input);
    assertSelfContained(html);
    expect(html).not.toContain(XSS);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(section(html, 'evidence')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;');
    expect(html).toContain('&lt;img src=&quot;https://evil.example/x.png&quot;&gt;');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(2)');
  });

  it('cannot open HTML in the Markdown outside code blocks', () => {
    const md = renderReportMarkdown(reportInput(hostile));
    const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
    expect(prose).not.toMatch(/<script|<img|<a /i);
    expect(prose).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('what the report does without the full failing run', () => {
  it('falls back to the record step: its stderr tail and provenance, no failing telemetry', () => {
    const html = renderReportHtml(reportInput(plain, false));
    const ev = section(html, 'evidence');
    expect(ev).toMatch(/last \d+ line\(s\) of stderr as stored with the step/);
    expect(ev).toContain('ValueError: No available memory for the cache blocks');
    expect((ev.match(/provenance: <b>simulated on CPU<\/b>/g) ?? []).length).toBe(2);
    const mem = section(html, 'memory');
    expect(mem).not.toContain('s-failing" points');
    expect(mem).toContain('failing run: no telemetry samples recorded');
    expect(mem).toMatch(/<polyline class="series s-fixed"/);
  });

  it('uses the failing telemetry when the record step carries it', () => {
    const input = reportInput(plain, false);
    const run = input.events.find((e) => e.kind === 'record')!.detail.run as Record<string, unknown>;
    run.telemetry = plain.failing!.telemetry;
    expect(section(renderReportHtml(input), 'memory')).toMatch(/<polyline class="series s-failing" points="[\d.,\s]+"/);
  });
});

describe('the verdict comes from the data', () => {
  it('a fixed run that still fails is reported as not recovered', async () => {
    const sc = scenarios().find((s) => s.id === 'train-batch-64')!;
    const run = await runLoop(sc, { transform: (r) => (r.label === 'fixed' ? { ...r, exitCode: 3 } : r) });
    expect(run.result.verdict).toBe('not_recovered');
    const html = renderReportHtml(reportInput(run));
    expect(html).toMatch(/<div class="banner tone-fail"[^>]*><div class="verdict">Not recovered<\/div>/);
    expect(section(html, 'verification')).toMatch(/<code>exit status<\/code><\/td><td class="num">0<\/td><td class="num">3<\/td><td class="st-failed">✗ fails/);
    expect(renderReportMarkdown(reportInput(run))).toContain('**Verdict: Not recovered**');
  }, 60_000);

  it('a result with no fix renders without a re-run, a chart of what there is, and says so', () => {
    const input = reportInput(plain);
    const events: StepEvent[] = input.events.map((e) => (e.kind === 'plan' ? { ...e, status: 'warning' as const, summary: 'no change this experiment can take: no fix computed', detail: {} } : e)).filter((e) => e.kind !== 'rerun' && e.kind !== 'verify');
    const result: AgentResult = { ...input.result, verdict: 'no_fix', attempts: [], baseline: null, verification: null };
    const html = renderReportHtml({ ...input, events, result });
    assertSelfContained(html);
    expect(html).toMatch(/<div class="verdict">No fix applied<\/div>/);
    expect(html).toContain('Fixed run (not run)');
    expect(section(html, 'verification')).toContain('there was no re-run');
    expect((section(html, 'memory').match(/<polyline /g) ?? []).length).toBe(1);
    expect(renderReportMarkdown({ ...input, events, result })).toContain('**Verdict: No fix applied**');
  });

  it('labels each verdict', () => {
    const base: AgentResult = { verdict: 'no_failure', diagnosis: null, attempts: [], baseline: null, verification: null, cost: null };
    expect(verdictView(base, []).label).toBe('No failure');
    expect(verdictView({ ...base, verdict: 'no_fix' }, []).tone).toBe('warn');
    expect(verdictView({ ...base, verdict: 'recovered', verification: { recovered: true, checks: [{ metric: 'exit status', expected: '0', actual: '0', ok: true }], gaveUp: [] } }, []).text).toContain('1 of 1 checks hold');
  });
});

describe('helpers', () => {
  it('escapes the five HTML characters', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('picks nice axis steps and keeps peaks when thinning', () => {
    expect(niceStep(191.69, 5)).toBe(50);
    expect(niceStep(8, 5)).toBe(2);
    expect(niceStep(47, 8)).toBe(10);
    const samples = Array.from({ length: 5000 }, (_, i) => ({ t_ms: i * 10, vram_used_gib: i === 2345 ? 99 : i % 7, vram_total_gib: 100 }));
    const t = thin(samples);
    expect(t.length).toBeLessThanOrEqual(600);
    expect(Math.max(...t.map((s) => s.vram_used_gib))).toBe(99);
    expect(thin([0, 1, 1, 1, 1, 2].map((v, i) => ({ t_ms: i, vram_used_gib: v, vram_total_gib: 8 }))).map((s) => s.t_ms)).toEqual([0, 1, 4, 5]);
  });

  it('draws a one-sample series visibly (a marker) and the card total', () => {
    const svg = memoryChartSvg([{ role: 'failing', name: 'f', samples: [{ t_ms: 0, vram_used_gib: 0, vram_total_gib: 8 }] }, { role: 'fixed', name: 'x', samples: [{ t_ms: 0, vram_used_gib: 1, vram_total_gib: 8 }, { t_ms: 2000, vram_used_gib: 6.5, vram_total_gib: 8 }] }], 'simulated telemetry');
    expect(svg).toMatch(/<circle class="mark s-failing"/);
    expect(svg).toContain('card total 8 GiB');
    expect(svg).toContain('>simulated telemetry</text>');
  });

  it('fences and code-spans Markdown around backticks', () => {
    expect(mdFence('a ``` b', 'text')[0]).toBe('````text');
    expect(mdCode('x`y')).toBe('``x`y``');
    expect(mdText('**bold** [link](u) <b>')).toBe('\\*\\*bold\\*\\* \\[link\\](u) &lt;b&gt;');
  });
});

describe("the model's explanation", () => {
  it('is in both reports when the explain step has one, escaped and marked as the model’s', () => {
    const input = reportInput(plain);
    const events = input.events.map((e) => (e.kind === 'explain'
      ? { ...e, status: 'ok' as const, summary: 'Qwen/Qwen2.5-7B-Instruct, 640 ms: agrees with the rules (kv_cache_oom)', detail: { text: `At 0.08 the weights alone do not fit.\nRaise it to 0.10. ${XSS}` } }
      : e));
    const html = renderReportHtml({ ...input, events });
    assertSelfContained(html);
    expect(html).toContain(`<blockquote class="explanation">At 0.08 the weights alone do not fit.\nRaise it to 0.10. &lt;script&gt;alert(1)&lt;/script&gt;</blockquote>`);
    expect(html).toContain("the model's explanation (not the rules')");
    const md = renderReportMarkdown({ ...input, events });
    expect(md).toContain("### The model's explanation\n\n_Qwen/Qwen2.5-7B-Instruct, 640 ms: agrees with the rules (kv_cache_oom)_\n\n> At 0.08 the weights alone do not fit.\n> Raise it to 0.10. &lt;script&gt;");
    expect(md).not.toContain(XSS);
    // no explanation (no LLM configured): no such section
    expect(renderReportMarkdown(input)).not.toContain("The model's explanation");
    expect(renderReportHtml(input)).not.toContain('blockquote class="explanation"');
  });
});
