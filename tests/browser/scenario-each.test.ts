import { readFile } from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSelfContained, section } from '../report/html-asserts.js';
import { launchBrowser, markDocument, newPage, NO_CHROMIUM, RUN_URL, sameDocument, shot, SKIP_REASON, startServer, type TestServer } from './helpers.js';

/** What one scenario run must end with. The values are the ones the planner computes (checked
 * against `npx tsx server/cli-main.ts scenario ID --json --mode live`), not the scenario's constants. */
interface Expected {
  id: string;
  category: string;
  /** the applied changes, as the plan step (#step-6) shows them before → after */
  changes: { param: string; from: string; to: string }[];
  /** a change the planner offers instead, shown in the plan but not applied */
  alternative?: { param: string; from: string; to: string };
  /** the failing and the fixed command (step 1 and step 7) */
  failing: string;
  fixed: string;
}

const SCENARIOS: Expected[] = [
  {
    id: 'vllm-max-model-len', category: 'context_length_exceeded',
    changes: [{ param: 'max_model_len', from: '65536', to: '32768' }],
    failing: 'vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 65536 --gpu-memory-utilization 0.99',
    fixed: 'vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 32768 --gpu-memory-utilization 0.99',
  },
  {
    id: 'train-batch-64', category: 'batch_too_large_runtime',
    changes: [{ param: 'batch_size', from: '64', to: '32' }, { param: 'gradient_accumulation_steps', from: '1', to: '2' }],
    failing: 'python train.py --batch-size 64 --gradient-accumulation-steps 1',
    fixed: 'python train.py --batch-size 32 --gradient-accumulation-steps 2',
  },
  {
    id: 'load-timeout', category: 'timeout',
    changes: [{ param: 'budget_s', from: '30', to: '52' }],
    alternative: { param: 'prompts', from: '20', to: '11' },
    failing: 'python bench.py --prompts 20 --budget-s 30 --concurrency 1',
    fixed: 'python bench.py --prompts 20 --budget-s 52 --concurrency 1',
  },
];

const STEPS = Array.from({ length: 9 }, (_, i) => `step-${i + 1}`);
const CLEAN = { console: [], errors: [], dialogs: [], failed: [], foreign: [] };
/** generous: a run takes 2–5 s at REPLAYLAB_SIM_TIME_SCALE=0.02, but the machine is small and shared */
const RUN_WAIT_MS = 60_000;
const TEST_MS = 120_000;

/** Records every state of the timeline the document goes through (a MutationObserver, so no state
 * between two polls is missed), from now until the status line says the run finished. */
async function recordTimeline(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __timeline: string[][] };
    const ids = () => [...document.querySelectorAll('#timeline > li')].map((li) => li.id);
    w.__timeline = [ids()];
    new MutationObserver(() => {
      const now = ids();
      if (now.join() !== w.__timeline.at(-1)!.join()) w.__timeline.push(now);
    }).observe(document.body, { childList: true, subtree: true });
  });
}
const recorded = (page: Page) => page.evaluate(() => (window as unknown as { __timeline: string[][] }).__timeline);

async function waitFinished(page: Page): Promise<void> {
  await page.waitForFunction(() => /^(Finished|Failed|Interrupted)/.test(document.getElementById('status')?.textContent ?? ''), null, { timeout: RUN_WAIT_MS, polling: 100 });
}

/** A change block of the plan step: its param, before and after (and a note if it is an alternative). */
function planChange(page: Page, param: string) {
  return page.locator('#step-6 .change', { has: page.locator('.change-param code', { hasText: new RegExp(`^${param}$`) }) });
}

/** The report's fix table row of one setting: from → to and its status. */
function reportRow(html: string, param: string): { from: string; to: string; status: string } | null {
  const fix = section(html, 'fix');
  const re = new RegExp(`<td class="setting"><code>${param}</code>[\\s\\S]*?<span class="from">([^<]*)</span> → <span class="to">([^<]*)</span>[\\s\\S]*?<td>([^<]*)</td></tr>`);
  const m = re.exec(fix);
  return m ? { from: m[1], to: m[2], status: m[3] } : null;
}

describe.skipIf(NO_CHROMIUM)(`each scenario card run in a real browser${NO_CHROMIUM ? ` (${SKIP_REASON})` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    // the real CPU simulators, at 1 simulated second in 20 ms
    [server, browser] = await Promise.all([startServer({ REPLAYLAB_SIM_TIME_SCALE: '0.02' }), launchBrowser()]);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 30_000);

  /** Clicks the card's Run button (after `edit`, if any, on the card) and watches the run to its end
   * on the one document; returns the run's id. */
  async function runCard(page: Page, id: string, edit?: (card: Locator) => Promise<void>): Promise<string> {
    await page.goto(`${server.url}/`);
    const card = page.locator(`#scenario-${id}`);
    if (edit) await edit(card);
    await card.locator('.run-button').click();
    await page.waitForURL(RUN_URL);
    return watchRun(page);
  }

  /** Watches the run whose page is open to its end; returns its id. */
  async function watchRun(page: Page): Promise<string> {
    const url = page.url();
    await markDocument(page);
    await recordTimeline(page);
    await waitFinished(page);

    // every state the timeline went through is steps 1..n in order, growing, on this one document
    const states = await recorded(page);
    for (const ids of states) expect(ids).toEqual(STEPS.slice(0, ids.length));
    for (let i = 1; i < states.length; i++) expect(states[i].length).toBeGreaterThan(states[i - 1].length);
    expect(states.at(-1)).toEqual(STEPS);
    expect(states[0].length).toBeLessThan(9); // it was watched while it ran, not loaded finished
    expect(await sameDocument(page)).toBe(true); // the steps streamed in over htmx SSE: no reload
    expect(page.url()).toBe(url);
    return url.slice(-22);
  }

  for (const s of SCENARIOS) {
    it(`runs ${s.id} from its card: steps 1..9 stream in, it recovers with the computed fix, and the report downloads`, async () => {
      const { page, context, watch } = await newPage(browser);
      const id = await runCard(page, s.id);

      expect(await page.locator('#status').textContent()).toBe(`Finished · step 9 of 9 · Recovered (${s.category})`);
      const summary = page.locator('#run-summary');
      expect(await summary.locator('.verdict').textContent()).toMatch(/Verdict\s+Recovered/);
      expect(await summary.locator('.state-done').textContent()).toMatch(/Finished/);
      expect(await summary.locator('code.category').textContent()).toBe(s.category);
      expect(await summary.locator('.outcome').textContent()).toContain(s.changes.map((c) => `${c.param}: ${c.from} → ${c.to}`).join(', '));
      expect(await summary.locator('.provenance').first().textContent()).toMatch(/simulated on CPU/);

      // the plan step: each computed value, before → after, and what was applied
      const plan = page.locator('#step-6');
      expect(await plan.locator('.step-title').textContent()).toMatch(/fix/i);
      for (const c of s.changes) {
        expect(await planChange(page, c.param).locator('.diff-line.del code').textContent()).toBe(c.from);
        expect(await planChange(page, c.param).locator('.diff-line.add code').textContent()).toBe(c.to);
      }
      expect(await plan.locator('.applied li').allTextContents()).toEqual(s.changes.map((c) => `${c.param}: ${c.from} → ${c.to}`));
      if (s.alternative) {
        const alt = planChange(page, s.alternative.param);
        expect(await alt.locator('.diff-line.del code').textContent()).toBe(s.alternative.from);
        expect(await alt.locator('.diff-line.add code').textContent()).toBe(s.alternative.to);
        // offered instead of the applied change, not with it: the plan says so (as the report does)
        expect(await alt.getAttribute('class')).toMatch(/\bchange-alternative\b/);
        expect(await alt.locator('.change-note').textContent()).toBe('alternative, not applied');
        for (const c of s.changes) expect(await planChange(page, c.param).locator('.change-note').count()).toBe(0);
        expect(await plan.locator('pre.cmd').textContent()).toContain(`--${s.alternative.param} ${s.alternative.from} `);
      }
      expect(await plan.locator('pre.cmd').textContent()).toBe(s.fixed);
      // the failing run and the re-run, each with where it came from
      expect(await page.locator('#step-1 .run-block pre.cmd').textContent()).toBe(s.failing);
      expect(await page.locator('#step-7 .run-block pre.cmd').last().textContent()).toBe(s.fixed);
      for (const step of ['#step-1', '#step-7']) {
        expect(await page.locator(`${step} .provenance`).first().textContent()).toMatch(/Provenance: Simulated.*simulated on CPU/s);
      }
      expect(await page.locator('#run-controls .stop').count()).toBe(0);

      // Download report (HTML): one self-contained file with the verdict and the fix values
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#run-controls a', { hasText: 'Download report (HTML)' }).click()]);
      expect(download.suggestedFilename()).toBe(`replaylab-${id}.html`);
      const html = await readFile((await download.path())!, 'utf8');
      assertSelfContained(html);
      expect(html).toContain('<div class="verdict">Recovered</div>');
      expect(html).toContain(`run <code>${id}</code>`);
      for (const c of s.changes) expect(reportRow(html, c.param)).toEqual({ from: c.from, to: c.to, status: 'applied' });
      if (s.alternative) expect(reportRow(html, s.alternative.param)).toEqual({ from: s.alternative.from, to: s.alternative.to, status: 'alternative, not applied' });
      expect(html).toContain(s.fixed);

      // the whole finished page, with the plan step's before → after open
      await page.evaluate(() => { (document.querySelector('#step-6 details') as HTMLDetailsElement).open = true; });
      await shot(page, `desktop-scenario-${s.id}`);
      expect(watch).toEqual(CLEAN);
      await context.close();
    }, TEST_MS);
  }

  it('runs train-batch-64 with batch_size 48 set under Advanced: the fix is recomputed from 48, not the constant', async () => {
    const { page, context, watch } = await newPage(browser);
    const input = page.locator('#train-batch-64-batch_size');
    const id = await runCard(page, 'train-batch-64', async (card) => {
      await card.locator('details.advanced > summary').click();
      expect(await input.inputValue()).toBe('64');
      expect(await card.locator('#train-batch-64-gradient_accumulation_steps').inputValue()).toBe('1');
      await input.fill('48');
    });

    // 48 x 128 MB + 2560 MB no longer fits 8 GiB: the largest divisor of 48 that fits is 24, and
    // accumulation 2 keeps the effective batch at 48
    expect(await page.locator('#status').textContent()).toBe('Finished · step 9 of 9 · Recovered (batch_too_large_runtime)');
    expect(await page.locator('#step-1 .run-block pre.cmd').textContent()).toBe('python train.py --batch-size 48 --gradient-accumulation-steps 1');
    expect(await page.locator('#step-4 .step-summary').textContent()).toContain('At batch 48');
    expect(await planChange(page, 'batch_size').locator('.diff-line.del code').textContent()).toBe('48');
    expect(await planChange(page, 'batch_size').locator('.diff-line.add code').textContent()).toBe('24');
    expect(await planChange(page, 'gradient_accumulation_steps').locator('.diff-line.del code').textContent()).toBe('1');
    expect(await planChange(page, 'gradient_accumulation_steps').locator('.diff-line.add code').textContent()).toBe('2');
    expect(await page.locator('#step-6 .step-summary').textContent()).toContain('the effective batch stays 48');
    expect(await page.locator('#step-7 .run-block pre.cmd').last().textContent()).toBe('python train.py --batch-size 24 --gradient-accumulation-steps 2');
    expect(await page.locator('#run-summary .outcome').textContent()).toContain('batch_size: 48 → 24, gradient_accumulation_steps: 1 → 2');

    const report = await page.request.get(`${server.url}/runs/${id}/report.html`);
    const html = await report.text();
    assertSelfContained(html);
    expect(html).toContain('<div class="verdict">Recovered</div>');
    expect(reportRow(html, 'batch_size')).toEqual({ from: '48', to: '24', status: 'applied' });
    expect(reportRow(html, 'gradient_accumulation_steps')).toEqual({ from: '1', to: '2', status: 'applied' });

    await page.evaluate(() => { (document.querySelector('#step-6 details') as HTMLDetailsElement).open = true; });
    await shot(page, 'desktop-scenario-train-batch-64-edited');

    // "Run again" runs this run again: batch 48 in the same mode, not the scenario's 64
    const again = page.locator('#run-controls form', { has: page.locator('button', { hasText: 'Run again' }) });
    expect(await again.locator('input[type=hidden]').evaluateAll((inputs) => inputs.map((i) => `${(i as HTMLInputElement).name}=${(i as HTMLInputElement).value}`)))
      .toEqual(['scenario=train-batch-64', 'mode=live', 'batch_size=48', 'gradient_accumulation_steps=1']);
    await page.locator('#run-controls button', { hasText: 'Run again' }).click();
    await page.waitForURL((u) => RUN_URL.test(u.pathname) && !u.pathname.endsWith(id));
    await watchRun(page);
    expect(await page.locator('#step-1 .run-block pre.cmd').textContent()).toBe('python train.py --batch-size 48 --gradient-accumulation-steps 1');
    expect(await planChange(page, 'batch_size').locator('.diff-line.add code').textContent()).toBe('24');
    expect(await page.locator('#run-summary .mode').textContent()).toContain('Live');
    expect(watch).toEqual(CLEAN);
    await context.close();
  }, TEST_MS);
});
