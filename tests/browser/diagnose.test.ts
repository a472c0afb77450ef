import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_LOG, TORCH_OOM_LOG, TRAIN_CMD, VLLM_CMD, VLLM_EVIDENCE_LINE, VLLM_LOG } from './fixtures.js';
import { launchBrowser, markDocument, newPage, NO_CHROMIUM, RUN_URL, sameDocument, shot, SKIP_REASON, startServer, type TestServer } from './helpers.js';

describe.skipIf(NO_CHROMIUM)(`diagnosing in a real browser${NO_CHROMIUM ? ` (${SKIP_REASON})` : ''}`, () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  }, 30_000);

  it('pastes a vLLM crash log and a command line, shows the card with the fix, and keeps it at a permalink', async () => {
    const { context, page, watch } = await newPage(browser);
    await page.goto(`${server.url}/`);
    await shot(page, 'desktop-home', false);
    await markDocument(page);
    await page.fill('#log', VLLM_LOG);
    await page.fill('#config', VLLM_CMD);
    await page.click('#diagnose-button');
    await page.waitForURL(RUN_URL);
    const card = page.locator('#diagnosis-card');
    await card.waitFor();

    expect(await sameDocument(page)).toBe(true); // htmx swapped the result in: no page load
    expect(await card.locator('code.category').textContent()).toBe('context_length_exceeded');
    const change = card.locator('.change', { hasText: 'max_model_len' });
    expect(await change.locator('.diff-line.del code').textContent()).toBe('65536');
    expect(await change.locator('.diff-line.add code').textContent()).toBe('32768');
    expect(await page.locator('#fixed-command').textContent()).toContain('--max-model-len 32768');
    const evidence = page.locator(`#L${VLLM_EVIDENCE_LINE}`);
    expect(await evidence.getAttribute('class')).toMatch(/\bhit\b/);
    expect(await evidence.textContent()).toContain('User-specified max_model_len (65536)');
    expect(await page.locator('#status').textContent()).toContain('Diagnosed context_length_exceeded');
    const url = page.url();
    expect(await page.inputValue('#permalink')).toBe(url);
    expect(await page.title()).toContain('ReplayLab');
    await shot(page, 'desktop-diagnosis-light');

    // the permalink is a whole page of its own: a reload shows the same card
    await page.reload();
    expect(page.url()).toBe(url);
    expect(await sameDocument(page)).toBe(false);
    expect(await card.locator('code.category').textContent()).toBe('context_length_exceeded');
    expect(await page.locator('#fixed-command').textContent()).toContain('--max-model-len 32768');
    expect(await page.locator(`#L${VLLM_EVIDENCE_LINE}.hit`).count()).toBe(1);
    expect(await page.inputValue('#log')).toContain('User-specified max_model_len (65536)');

    expect(watch).toEqual({ console: [], errors: [], dialogs: [], failed: [], foreign: [] });
    expect(await context.cookies()).toEqual([]); // no cookies in the core flow
    await context.close();
  });

  it('uploads stderr and the config as files and diagnoses the OOM with a batch_size change', async () => {
    const { context, page, watch } = await newPage(browser);
    await page.goto(`${server.url}/`);
    await page.setInputFiles('#stderr-file', { name: 'stderr.log', mimeType: 'text/plain', buffer: Buffer.from(TORCH_OOM_LOG) });
    await page.setInputFiles('#config-file', { name: 'run.sh', mimeType: 'text/x-sh', buffer: Buffer.from(TRAIN_CMD) });
    await page.click('#diagnose-button');
    await page.waitForURL(RUN_URL);
    const card = page.locator('#diagnosis-card');
    await card.waitFor();

    expect(await card.locator('code.category').textContent()).toBe('batch_too_large_runtime');
    const change = card.locator('.change', { has: page.locator('.change-param', { hasText: /^batch_size$/ }) });
    expect(await change.locator('.diff-line.del code').textContent()).toBe('64');
    expect(await change.locator('.diff-line.add code').textContent()).toBe('32');
    expect(await page.locator('#fixed-command').textContent()).toContain('--batch-size 32');
    expect(await page.locator('.log-line.hit').first().textContent()).toContain('torch.OutOfMemoryError: CUDA out of memory');
    // both uploads are kept with the run and offered back, under their role (the original name is not stored)
    const uploads = await card.locator('a[download]', { hasText: 'Uploaded' }).allTextContents();
    expect(uploads.join('\n')).toMatch(/Uploaded stderr\.log[\s\S]*Uploaded config\.sh/);
    await shot(page, 'desktop-upload-oom');

    expect(watch).toEqual({ console: [], errors: [], dialogs: [], failed: [], foreign: [] });
    await context.close();
  });

  it('shows <script> and <img onerror> from a log as text and runs none of it', async () => {
    const { page, context, watch } = await newPage(browser);
    await page.goto(`${server.url}/`);
    await page.fill('#log', HOSTILE_LOG);
    await page.click('#diagnose-button');
    await page.waitForURL(RUN_URL);
    await page.locator('#diagnosis-card').waitFor();

    const checkInert = async () => {
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.locator('#diagnosis-card code.category').textContent()).toBe('batch_too_large_runtime');
      const viewer = page.locator('.logview');
      expect(await viewer.getByText('<script>window.__pwned=1</script>').isVisible()).toBe(true);
      expect(await viewer.getByText('<img src=x onerror="window.__pwned=2;alert(2)">').isVisible()).toBe(true);
      expect(await page.locator('main script, main img').count()).toBe(0); // no element was made from the log
      expect(await page.inputValue('#log')).toContain('<script>window.__pwned=1</script>');
    };
    await checkInert(); // as htmx swapped it in
    await shot(page, 'desktop-hostile-log');
    await page.reload();
    await checkInert(); // as the server renders the whole page

    // a CSP violation, a 404 for src=x or an alert would each show up here
    expect(watch).toEqual({ console: [], errors: [], dialogs: [], failed: [], foreign: [] });
    await context.close();
  });
});
