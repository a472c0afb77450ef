import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSelfContained } from '../report/html-asserts.js';
import { launchBrowser, markDocument, newPage, NO_CHROMIUM, PHONE, RUN_URL, sameDocument, shot, SKIP_REASON, startServer, type TestServer } from './helpers.js';

const SCENARIO = 'vllm-kv-cache';
const stepIds = (page: Page) => page.evaluate(() => [...document.querySelectorAll('#timeline > li')].map((li) => li.id));
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe.skipIf(NO_CHROMIUM)(`a scenario run in a real browser${NO_CHROMIUM ? ` (${SKIP_REASON})` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    // the real CPU simulators, at 1 simulated second in 20 ms: the run takes a few seconds
    [server, browser] = await Promise.all([startServer({ REPLAYLAB_SIM_TIME_SCALE: '0.02' }), launchBrowser()]);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 30_000);

  it('runs a scenario card: the timeline streams in step by step, ends recovered, and the report downloads', async () => {
    const { page, context, watch } = await newPage(browser);
    await page.goto(`${server.url}/`);
    await page.locator(`#scenario-${SCENARIO} .run-button`).click();
    await page.waitForURL(RUN_URL);
    const url = page.url();
    const id = url.slice(-22);
    await markDocument(page);

    // watch the timeline grow: every snapshot is steps 1..n in order, on this one document (htmx SSE)
    const seen: string[][] = [];
    const status = page.locator('#status');
    for (const end = Date.now() + 25_000; Date.now() < end;) {
      seen.push(await stepIds(page));
      if ((await status.textContent())?.startsWith('Finished')) break;
      await page.waitForTimeout(25);
    }
    seen.push(await stepIds(page));
    const expected = Array.from({ length: 9 }, (_, i) => `step-${i + 1}`);
    for (const ids of seen) expect(ids).toEqual(expected.slice(0, ids.length));
    expect(seen.at(-1)).toEqual(expected);
    expect(seen.some((ids) => ids.length < 9)).toBe(true); // it was watched while it ran, not loaded finished
    expect(await sameDocument(page)).toBe(true); // the steps streamed in: no reload
    expect(page.url()).toBe(url);

    expect(await status.textContent()).toMatch(/^Finished · step 9 of 9 · Recovered \(\w+\)$/);
    const summary = page.locator('#run-summary');
    expect(await summary.locator('.verdict').textContent()).toMatch(/Verdict\s+Recovered/);
    expect(await summary.locator('.state-done').textContent()).toMatch(/Finished/);
    expect(await summary.locator('.outcome').textContent()).toContain('gpu_memory_utilization: 0.08 → 0.1');
    expect(await summary.locator('.provenance').first().textContent()).toMatch(/simulated on CPU/);
    // the plan step: the computed value, before and after
    const plan = page.locator('#step-6');
    expect(await plan.locator('.step-title').textContent()).toMatch(/fix/i);
    const change = plan.locator('.change', { has: page.locator('.change-param', { hasText: /^gpu_memory_utilization$/ }) });
    expect(await change.locator('.diff-line.del code').textContent()).toBe('0.08');
    expect(await change.locator('.diff-line.add code').textContent()).toBe('0.1');
    // each run's evidence says where it came from
    expect(await page.locator('#step-1 .provenance').textContent()).toMatch(/Provenance: Simulated.*simulated on CPU/s);
    // the stream is closed: no Stop button, and the finished run's downloads are there
    expect(await page.locator('#run-controls .stop').count()).toBe(0);
    await shot(page, 'desktop-scenario-run-viewport', false);

    // Download report (HTML): one self-contained file with the verdict
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#run-controls a', { hasText: 'Download report (HTML)' }).click()]);
    expect(download.suggestedFilename()).toBe(`replaylab-${id}.html`);
    const html = await readFile((await download.path())!, 'utf8');
    assertSelfContained(html);
    expect(html).toContain('<div class="verdict">Recovered</div>');
    expect(html).toContain(`run <code>${id}</code>`);
    const mdHref = await page.locator('#run-controls a', { hasText: 'Report (Markdown)' }).getAttribute('href');
    expect(mdHref).toBe(`/runs/${id}/report.md`);
    const md = await page.request.get(`${server.url}${mdHref}`);
    expect(md.status()).toBe(200);
    expect(await md.text()).toContain('**Verdict: Recovered**');

    await shot(page, 'desktop-scenario-run');
    await page.evaluate(() => document.querySelectorAll('#timeline details').forEach((d) => { (d as HTMLDetailsElement).open = true; }));
    await shot(page, 'desktop-scenario-run-details');
    expect(watch).toEqual({ console: [], errors: [], dialogs: [], failed: [], foreign: [] });
    await context.close();

    // the finished run's page on a phone: it opens on the result (below the whole form), nothing
    // scrolls sideways, and the run is all there as the server renders it
    const phone = await newPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    await phone.page.goto(url);
    expect(await phone.page.locator('#timeline > li').count()).toBe(9);
    await phone.page.waitForFunction(() => {
      const top = document.getElementById('status')!.getBoundingClientRect().top;
      return top >= 0 && top < innerHeight;
    });
    expect(await horizontalOverflow(phone.page)).toBe(0);
    await shot(phone.page, 'phone-scenario-run-viewport', false);
    await shot(phone.page, 'phone-scenario-run');
    await phone.page.evaluate(() => document.querySelectorAll('#timeline details').forEach((d) => { (d as HTMLDetailsElement).open = true; }));
    await shot(phone.page, 'phone-scenario-run-details');
    expect(await horizontalOverflow(phone.page)).toBe(0);
    expect(phone.watch).toEqual({ console: [], errors: [], dialogs: [], failed: [], foreign: [] });
    await phone.context.close();
  });
});
