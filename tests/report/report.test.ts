import { beforeAll, describe, expect, it } from 'vitest';
import { formatDollars, formatNumber, formatRate } from '../../server/report/escape.js';
import { renderReportMarkdown } from '../../server/report/render-markdown.js';
import { renderReportHtml } from '../../server/report/render-report.js';
import { reportInput, runLoop, scenarios, type LoopRun } from './fixtures.js';
import { assertSelfContained, section } from './html-asserts.js';

/** What each scenario's computed fix must show: [setting, from, to]. */
const FIX: Record<string, [string, string, string][]> = {
  'vllm-max-model-len': [['max_model_len', '65536', '32768']],
  'train-batch-64': [['batch_size', '64', '32'], ['gradient_accumulation_steps', '1', '2']],
  'load-timeout': [['budget_s', '30', '52']],
  'vllm-kv-cache': [['gpu_memory_utilization', '0.08', '0.1']],
};
const LABEL = { recovered: 'Recovered', not_recovered: 'Not recovered', no_fix: 'No fix applied', no_failure: 'No failure' } as const;

const runs = new Map<string, LoopRun>();
beforeAll(async () => {
  for (const r of await Promise.all(scenarios().map((s) => runLoop(s)))) runs.set(r.scenario.id, r);
}, 120_000);

describe.each(Object.keys(FIX))('report for %s (real loop, CPU simulators)', (id) => {
  const html = () => renderReportHtml(reportInput(runs.get(id)!));
  const md = () => renderReportMarkdown(reportInput(runs.get(id)!));

  it('shows the verdict from the result, and it is recovered', () => {
    const { result } = runs.get(id)!;
    expect(result.verdict).toBe('recovered');
    const banner = /<div class="banner tone-(\w+)"[^>]*><div class="verdict">([^<]+)<\/div>/.exec(html())!;
    expect(banner[2]).toBe(LABEL[result.verdict]);
    expect(banner[1]).toBe('ok');
    const checks = result.verification!.checks;
    expect(html()).toContain(`${checks.filter((c) => c.ok).length} of ${checks.length} checks hold`);
  });

  it('shows the computed fix values in the config diff, each with its arithmetic', () => {
    const fix = section(html(), 'fix');
    for (const [param, from, to] of FIX[id]) {
      expect(fix).toMatch(new RegExp(`<code>${param}</code>[\\s\\S]*?<span class="from">${from.replace('.', '\\.')}</span> → <span class="to">${to.replace('.', '\\.')}</span>`));
    }
    for (const c of runs.get(id)!.result.diagnosis!.fix!.changes) expect(fix).toContain(c.why.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  });

  it('draws GPU memory of the failing and the fixed run as inline SVG, labelled simulated', () => {
    const mem = section(html(), 'memory');
    expect(mem).toMatch(/<svg[\s>]/);
    expect(mem).toMatch(/<polyline class="series s-failing" points="[\d.,\s]+"/);
    expect(mem).toMatch(/<polyline class="series s-fixed" points="[\d.,\s]+"/);
    expect((mem.match(/<polyline /g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(mem).toContain('simulated telemetry');
    expect(mem).toMatch(/GiB/);
    expect(mem).toContain('seconds since the run started');
    const total = runs.get(id)!.result.attempts.at(-1)!.telemetry[0].vram_total_gib;
    expect(mem).toContain(`card total ${formatNumber(total)} GiB`);
    expect(html()).toMatch(/simulated on CPU/);
  });

  it('is self-contained: no scripts, links or external URLs in attributes, and a CSP that forbids requests', () => {
    assertSelfContained(html());
  });

  it('computes the cost from result.cost', () => {
    const c = runs.get(id)!.result.cost!;
    const cost = section(html(), 'cost');
    expect(cost).toContain(`${formatNumber(c.gpuSeconds, 1)} GPU-seconds × ${formatRate(c.dollarsPerGpuHour)}/GPU-hour ÷ 3600 = <b>${formatDollars(c.dollars)}</b>`);
    expect(cost).toContain(`${formatNumber(c.manualHours)} h × ${formatRate(c.manualDollars / c.manualHours)}/h = <b>${formatDollars(c.manualDollars)}</b>`);
    expect(cost).toContain('simulated clock');
    expect(cost).toContain('configurable inputs');
  });

  it('puts the provenance of every recording next to its evidence', () => {
    const ev = section(html(), 'evidence');
    expect((ev.match(/provenance: <b>simulated on CPU<\/b>/g) ?? []).length).toBe(2);
    const prov = section(html(), 'provenance');
    expect((prov.match(/<li>/g) ?? []).length).toBe(2 + runs.get(id)!.result.attempts.length);
  });

  it('exports Markdown with the verdict, root cause, fenced evidence, the fix table, verification, cost and provenance', () => {
    const m = md();
    const { result } = runs.get(id)!;
    expect(m).toContain(`**Verdict: ${LABEL[result.verdict]}**`);
    expect(m).toContain('| setting | from | to | why (the arithmetic) | status |');
    for (const [param, from, to] of FIX[id]) expect(m).toMatch(new RegExp(`\\| \`${param}\`[^|]*\\| ${from.replace('.', '\\.')} \\| \\*\\*${to.replace('.', '\\.')}\\*\\*`));
    expect(m).toMatch(/```text\n\s*\d+ \| /);
    expect(m).toContain(`\`${result.diagnosis!.category}\``);
    expect(m).toContain('| metric | expected | actual | result |');
    expect(m).toContain(`= **${formatDollars(result.cost!.dollars)}**`);
    expect(m).toContain('**simulated on CPU**');
  });
});

describe('figures come from the inputs, never constants', () => {
  it('a different $/GPU-hour and manual estimate change the report', async () => {
    const sc = scenarios().find((s) => s.id === 'train-batch-64')!;
    const a = runs.get(sc.id)!;
    const b = await runLoop(sc, { deps: { dollarsPerGpuHour: 3.5, manualDebugHours: 3, engineerDollarsPerHour: 120 } });
    expect(b.result.cost!.dollarsPerGpuHour).toBe(3.5);
    const ha = section(renderReportHtml(reportInput(a)), 'cost');
    const hb = section(renderReportHtml(reportInput(b)), 'cost');
    expect(hb).not.toBe(ha);
    expect(hb).toContain('$3.50/GPU-hour');
    expect(hb).not.toContain('$1.99');
    expect(hb).toContain(`= <b>${formatDollars(b.result.cost!.dollars)}</b>`);
    expect(b.result.cost!.dollars).toBeCloseTo((b.result.cost!.gpuSeconds / 3600) * 3.5, 3);
    expect(hb).toContain('3 h × $120.00/h = <b>$360.00</b>');
    expect(renderReportMarkdown(reportInput(b))).toContain('× $3.50/GPU-hour');
  }, 60_000);
});
