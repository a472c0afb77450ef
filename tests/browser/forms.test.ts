import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCount } from '../pages/helpers.js';
import { TORCH_OOM_LOG, TRAIN_CMD, VLLM_CMD, VLLM_LOG } from './fixtures.js';
import { launchBrowser, newPage, NO_CHROMIUM, RUN_URL, shot, SKIP_REASON, startServer, type TestServer } from './helpers.js';

const MAX = 2048;
/** 10 KiB of a real log: the OOM traceback, preceded by as many step lines as it takes */
function bigLog(): Buffer {
  const steps = Array.from({ length: 200 }, (_, i) => `[2025-11-30 14:02:${String(i % 60).padStart(2, '0')},204] INFO train.py:140 - step ${i + 1}/3000 loss 2.91 lr 1.0e-05\n`).join('');
  return Buffer.from(`${steps}${TORCH_OOM_LOG}`).subarray(-10 * 1024);
}
const OOM_LINE = TORCH_OOM_LOG.split('\n').find((l) => l.startsWith('torch.OutOfMemoryError'))!;

describe.skipIf(NO_CHROMIUM)(`the form's errors and the form without JavaScript${NO_CHROMIUM ? ` (${SKIP_REASON})` : ''}`, () => {
  let server: TestServer;
  let small: TestServer; // REPLAYLAB_MAX_LOG_BYTES=2048
  let browser: Browser;
  beforeAll(async () => {
    [server, small, browser] = await Promise.all([startServer(), startServer({ REPLAYLAB_MAX_LOG_BYTES: String(MAX) }), launchBrowser()]);
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([server?.close(), small?.close()]);
  }, 30_000);

  /** the message stands next to the stderr field, which points at it; the page stays on the form */
  async function expectOversizeMessage(page: Page, storedBefore: number) {
    const message = page.locator('#log-error');
    await message.waitFor();
    const text = (await message.textContent())!;
    expect(text).toContain('stderr.log is 10240 bytes');
    expect(text).toContain(`the limit is ${MAX}`);
    expect(await page.locator('fieldset', { has: page.locator('#stderr-file') }).locator('#log-error').count()).toBe(1);
    expect(await page.getAttribute('#stderr-file', 'aria-describedby')).toBe('log-error');
    expect(await page.locator('#status').textContent()).toContain('Not diagnosed');
    expect(await page.locator('#diagnosis-card').count()).toBe(0);
    expect(page.url()).not.toMatch(/\/runs\//);
    expect(runCount(small.db)).toBe(storedBefore); // nothing stored half-way
  }

  it('shows an oversize upload\'s message next to the file field, stores nothing, and recovers', async () => {
    const { page, context, watch } = await newPage(browser);
    const before = runCount(small.db);
    await page.goto(`${small.url}/`);
    await page.setInputFiles('#stderr-file', { name: 'stderr.log', mimeType: 'text/plain', buffer: bigLog() });
    await page.click('#diagnose-button');
    await expectOversizeMessage(page, before);
    expect(page.url()).toBe(`${small.url}/`);
    await page.waitForFunction(() => document.activeElement?.id === 'log'); // focus goes to the field in error
    const history = await (await page.request.get(`${small.url}/history`)).text();
    expect(history).toContain('No public runs yet.');
    await shot(page, 'desktop-oversize-error', false);

    // a log within the limit then goes through, and the stale message goes away
    await page.fill('#log', OOM_LINE);
    await page.fill('#config', TRAIN_CMD);
    await page.click('#diagnose-button');
    await page.waitForURL(RUN_URL);
    await page.locator('#diagnosis-card').waitFor();
    await page.locator('#log-error').waitFor({ state: 'detached' });
    expect(await page.locator('#inputs [aria-invalid]').count()).toBe(0);
    expect(runCount(small.db)).toBe(before + 1);

    // the 413 is a designed answer, not a console error (Chromium logs a failed resource as one)
    expect(watch.console.filter((m) => !/status of 413/.test(m))).toEqual([]);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('works without JavaScript: the form posts, the browser follows the 303 to the run page', async () => {
    const { page, context, watch } = await newPage(browser, { javaScriptEnabled: false });
    const posts: { status: number; location: string | null }[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST') posts.push({ status: r.status(), location: r.headers().location ?? null });
    });
    await page.goto(`${server.url}/`);
    expect(await page.locator('#theme-toggle').isVisible()).toBe(false); // needs JavaScript: stays hidden
    await page.fill('#log', VLLM_LOG);
    await page.fill('#config', VLLM_CMD);
    await page.click('#diagnose-button');
    await page.waitForURL(RUN_URL);

    expect(posts).toHaveLength(1);
    expect(posts[0].status).toBe(303);
    expect(`${server.url}${posts[0].location}`).toBe(page.url());
    const card = page.locator('#diagnosis-card');
    expect(await card.locator('code.category').textContent()).toBe('context_length_exceeded');
    expect(await page.locator('#fixed-command').textContent()).toContain('--max-model-len 32768');
    expect(await page.locator('.log-line.hit').count()).toBeGreaterThan(0);
    expect(await page.inputValue('#permalink')).toBe(page.url());
    expect(await page.locator('button.copy').first().isVisible()).toBe(false); // copy needs JavaScript
    await shot(page, 'nojs-run');
    expect(watch).toEqual({ console: [], errors: [], dialogs: [], failed: [], foreign: [] });
    await context.close();
  });

  it('without JavaScript an oversize upload answers the whole page with the message in place', async () => {
    const { page, context } = await newPage(browser, { javaScriptEnabled: false });
    const before = runCount(small.db);
    await page.goto(`${small.url}/`);
    await page.setInputFiles('#stderr-file', { name: 'stderr.log', mimeType: 'text/plain', buffer: bigLog() });
    const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.click('#diagnose-button')]);
    expect(response.status()).toBe(413);
    await expectOversizeMessage(page, before);
    expect(await page.locator('h1').textContent()).toBe('ReplayLab'); // a whole page, not a fragment
    await context.close();
  });
});
