/** In a real browser (Debian's Chromium; skipped without it): while the model writes, the running
 * page's htmx SSE stream replaces step 5 in place. There is never a second #step-5, the text
 * grows, and the finished step stays once, after step 4 and before step 6. */
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realRunner, startedId } from '../agent/helpers.js';
import { startFakeOpenAI, type FakeServer } from '../llm/fake-openai.js';
import { agreeing, EXPLANATION, llmApp } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const NO_CHROMIUM = !existsSync(CHROMIUM);

let fake: FakeServer;
let browser: Browser;
let http: Server;
let url = '';
let app: ReturnType<typeof llmApp>['app'];

beforeAll(async () => {
  if (NO_CHROMIUM) return;
  // 24 pieces, 80 ms apart: about two seconds of streaming to watch
  fake = await startFakeOpenAI(agreeing(24, 80));
  ({ app } = llmApp({ baseUrl: fake.baseUrl, runner: realRunner }));
  http = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
});

afterAll(async () => {
  if (NO_CHROMIUM) return;
  await browser?.close();
  http?.closeAllConnections();
  await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  await fake?.close();
});

describe.skipIf(NO_CHROMIUM)('the timeline while the model writes (Chromium)', () => {
  it('replaces step 5 in place as tokens arrive, never duplicating it', async () => {
    const page = await (await browser.newContext()).newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    // count copies of step 5 and the texts it showed at every DOM change, from the first byte
    await page.addInitScript(() => {
      const w = window as unknown as { maxCopies: number; texts: string[] };
      w.maxCopies = 0;
      w.texts = [];
      new MutationObserver(() => {
        const copies = document.querySelectorAll('#step-5');
        w.maxCopies = Math.max(w.maxCopies, copies.length);
        const text = copies[0]?.querySelector('.step-lead')?.textContent ?? '';
        if (text && text !== w.texts.at(-1)) w.texts.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    const id = await startedId(app, { scenario: 'train-batch-64' });
    await page.goto(`${url}/runs/${id}`);
    await page.locator('#step-9').waitFor({ timeout: 20_000 });
    const seen = await page.evaluate(() => {
      const w = window as unknown as { maxCopies: number; texts: string[] };
      return { maxCopies: w.maxCopies, texts: w.texts };
    });
    expect(seen.maxCopies).toBe(1);
    expect(seen.texts.length).toBeGreaterThanOrEqual(3); // partial texts, then the whole one
    for (const t of seen.texts) expect(EXPLANATION.startsWith(t)).toBe(true);
    expect(seen.texts.at(-1)).toBe(EXPLANATION);
    expect(await page.locator('#step-5').count()).toBe(1);
    expect(await page.locator('#step-5').getAttribute('class')).toBe('step step-ok');
    const order = await page.locator('#timeline > li').evaluateAll((els) => els.map((e) => e.id));
    expect(order).toEqual(['step-1', 'step-2', 'step-3', 'step-4', 'step-5', 'step-6', 'step-7', 'step-8', 'step-9']);
    expect(errors).toEqual([]);
  }, 60_000);
});
