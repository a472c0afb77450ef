import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../server/examples.js';
import { VLLM_CMD, VLLM_LOG } from './fixtures.js';
import { launchBrowser, markDocument, newPage, NO_CHROMIUM, PHONE, RUN_URL, sameDocument, shot, SKIP_REASON, startServer, type TestServer } from './helpers.js';

const bodyBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
const dataTheme = (page: Page) => page.evaluate(() => document.documentElement.getAttribute('data-theme'));
const LIGHT_BG = 'rgb(247, 247, 248)';
const DARK_BG = 'rgb(11, 15, 20)';

async function diagnoseVllm(page: Page) {
  await page.fill('#log', VLLM_LOG);
  await page.fill('#config', VLLM_CMD);
  await page.click('#diagnose-button');
  await page.waitForURL(RUN_URL);
  await page.locator('#diagnosis-card').waitFor();
}

/** Resolves once the element's top edge is within the viewport (the page has scrolled to it). */
const topInView = (page: Page, selector: string) => page.waitForFunction((sel) => {
  const top = document.querySelector(sel)!.getBoundingClientRect().top;
  return top >= 0 && top < innerHeight;
}, selector);

/** the page never scrolls sideways: wide content (the log viewer, code) scrolls in its own box */
const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

async function boxes(page: Page) {
  const inputs = (await page.locator('#inputs').boundingBox())!;
  const outputs = (await page.locator('#outputs').boundingBox())!;
  return { inputs, outputs };
}

describe.skipIf(NO_CHROMIUM)(`the page: examples, theme, layout${NO_CHROMIUM ? ` (${SKIP_REASON})` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 30_000);

  it('fills the inputs from an example link (htmx), reflects it in the URL, and diagnoses it', async () => {
    const ex = EXAMPLES.find((e) => e.id === 'torch-cuda-oom')!;
    const { page, context, watch } = await newPage(browser);
    await page.goto(`${server.url}/`);
    await markDocument(page);
    const link = page.locator(`a[href="/?example=${ex.id}"]`);
    await link.click();
    await page.waitForURL(`${server.url}/?example=${ex.id}`);
    await page.locator(`a[href="/?example=${ex.id}"][aria-current="true"]`).waitFor();

    expect(await sameDocument(page)).toBe(true); // swapped by htmx, not a page load
    expect(await page.inputValue('#log')).toBe(ex.log);
    expect(await page.inputValue('#config')).toBe(ex.config);
    expect(await page.locator('#status').textContent()).toContain(`Example loaded: ${ex.title}`);
    expect(await page.title()).toContain(ex.title);
    // the example links are below the form: the filled log comes into view, and the status line
    // beside it (the empty output column stays in sight on a desktop)
    await topInView(page, '#log');
    const status = (await page.locator('#status').boundingBox())!;
    expect(status.y).toBeGreaterThanOrEqual(0);
    expect(status.y + status.height).toBeLessThanOrEqual(900);
    await shot(page, 'desktop-example-loaded', false);

    // the swapped-in form is live: Diagnose works from it
    await page.click('#diagnose-button');
    await page.waitForURL(RUN_URL);
    expect(await page.locator('#diagnosis-card code.category').textContent()).toBe(ex.expect);
    expect(await sameDocument(page)).toBe(true);

    // the example's URL is a whole page of its own
    await page.goto(`${server.url}/?example=${ex.id}`);
    expect(await page.inputValue('#log')).toBe(ex.log);
    expect(watch).toEqual({ console: [], errors: [], dialogs: [], failed: [], foreign: [] });
    await context.close();
  });

  it('switches to the dark theme, keeps the choice across a reload in localStorage, and sets no cookie', async () => {
    const { page, context, watch } = await newPage(browser); // the system theme is light
    await page.goto(`${server.url}/`);
    const toggle = page.locator('#theme-toggle');
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    expect(await bodyBackground(page)).toBe(LIGHT_BG);

    await toggle.click();
    expect(await dataTheme(page)).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await bodyBackground(page)).toBe(DARK_BG);

    await page.reload();
    expect(await dataTheme(page)).toBe('dark');
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    expect(await bodyBackground(page)).toBe(DARK_BG);
    expect(await page.evaluate(() => localStorage.getItem('replaylab-theme'))).toBe('dark');

    await diagnoseVllm(page); // the card in the dark theme
    expect(await bodyBackground(page)).toBe(DARK_BG);
    await shot(page, 'desktop-diagnosis-dark');

    await page.reload(); // the run's page (a whole page) also opens dark
    expect(await dataTheme(page)).toBe('dark');
    await toggle.click();
    await page.reload();
    expect(await dataTheme(page)).toBe('light');
    expect(await bodyBackground(page)).toBe(LIGHT_BG);

    expect(await context.cookies()).toEqual([]);
    expect(watch).toEqual({ console: [], errors: [], dialogs: [], failed: [], foreign: [] });
    await context.close();
  });

  it('follows a dark system theme when nothing is stored', async () => {
    const { page, context } = await newPage(browser, { colorScheme: 'dark' });
    await page.goto(`${server.url}/`);
    expect(await dataTheme(page)).toBeNull();
    expect(await bodyBackground(page)).toBe(DARK_BG);
    expect(await page.locator('#theme-toggle').getAttribute('aria-pressed')).toBe('true');
    await context.close();
  });

  it('puts inputs left and outputs right on a desktop, without sideways scrolling, and shows the result after Diagnose', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(`${server.url}/`);
    await diagnoseVllm(page);
    const { inputs, outputs } = await boxes(page);
    expect(inputs.x + inputs.width).toBeLessThanOrEqual(outputs.x);
    expect(Math.abs(inputs.y - outputs.y)).toBeLessThan(2);
    expect(await horizontalOverflow(page)).toBe(0);
    // the Diagnose button is far down the long input column: the page scrolls up to the result,
    // so the status line and the top of the card are on screen
    await topInView(page, '#status');
    await topInView(page, '#diagnosis-card');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('diagnosis-card');
    await shot(page, 'desktop-diagnosis-viewport', false);
    await context.close();
  });

  it('stacks the columns on a phone and brings the result into view after Diagnose', async () => {
    const { page, context, watch } = await newPage(browser, { viewport: PHONE, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/`);
    let { inputs, outputs } = await boxes(page);
    expect(outputs.y).toBeGreaterThanOrEqual(inputs.y + inputs.height);
    expect(await horizontalOverflow(page)).toBe(0);
    await shot(page, 'phone-home', false);

    await diagnoseVllm(page);
    ({ inputs, outputs } = await boxes(page));
    expect(outputs.y).toBeGreaterThanOrEqual(inputs.y + inputs.height);
    expect(outputs.x).toBeGreaterThanOrEqual(0);
    expect(outputs.x + outputs.width).toBeLessThanOrEqual(PHONE.width);
    expect(await horizontalOverflow(page)).toBe(0);
    // the result is below the form: the page scrolls to the status line and the card
    await topInView(page, '#status');
    // the fixed command wraps on a phone, and its Copy button sits beside it, not over it
    const command = (await page.locator('#fixed-command').boundingBox())!;
    const copy = (await page.locator('button[data-copy="fixed-command"]').boundingBox())!;
    expect(copy.x).toBeGreaterThanOrEqual(command.x + command.width);
    expect(await page.locator('#fixed-command').evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    // a fact's key is never broken mid-word: each key cell is one line
    const keyLines = await page.locator('#diagnosis-card .facts tbody th code').evaluateAll((keys) => keys.map((k) => k.getClientRects().length));
    expect(keyLines.length).toBeGreaterThan(0);
    expect(keyLines.every((n) => n === 1)).toBe(true);
    expect(watch).toEqual({ console: [], errors: [], dialogs: [], failed: [], foreign: [] });
    await shot(page, 'phone-diagnosis-viewport', false);
    await shot(page, 'phone-diagnosis');
    await context.close();
  });
});
