import { serve } from '@hono/node-server';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { Db } from '../../server/store/db.js';
import { pageApp } from '../pages/helpers.js';

/** Debian's chromium; CI installs it with apt-get. Playwright never downloads a browser here. */
export const CHROMIUM = '/usr/bin/chromium';
export const NO_CHROMIUM = !existsSync(CHROMIUM);
export const SKIP_REASON = `browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`;
if (NO_CHROMIUM) console.warn(SKIP_REASON);

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** a run's page: /runs/ and the 22-character id (≥ 128 bits, base64url) */
export const RUN_URL = /\/runs\/[A-Za-z0-9_-]{22}$/;

export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

export interface TestServer { url: string; db: Db; close(): Promise<void> }

/** The real app (real taxonomy, real migrations, in-memory SQLite) on an ephemeral loopback port. */
export async function startServer(env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const { app, db } = pageApp(env);
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections(); // the browser's keep-alive sockets would hold close() open
      server.close(() => resolve());
    }),
  };
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh page in its own context (no shared storage between tests), light system theme. */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport: DESKTOP, colorScheme: 'light', ...options });
  // fail an action well before the test's 30 s, with Playwright's message about what it waited for
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { context, page, watch: watch(page) };
}

/** Everything a page reports that a user would never want: console errors, uncaught exceptions,
 * dialogs (which are dismissed), failed requests, and requests that leave our origin. */
export function watch(page: Page) {
  const seen = { console: [] as string[], errors: [] as string[], dialogs: [] as string[], failed: [] as string[], foreign: [] as string[] };
  page.on('console', (m) => { if (m.type() === 'error') seen.console.push(m.text()); });
  page.on('pageerror', (e) => seen.errors.push(String(e)));
  page.on('dialog', (d) => { seen.dialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss(); });
  page.on('requestfailed', (r) => seen.failed.push(`${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('http://127.0.0.1:') && !u.startsWith('data:')) seen.foreign.push(u);
  });
  return seen;
}

/** Saves a screenshot under tests/screenshots/ (gitignored). Take full-page shots only once every
 * swap is done: Playwright sets style="" on inputs for them, which a later swap reports as a CSP error. */
export async function shot(page: Page, name: string, fullPage = true): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage });
}

/** Sets a marker that survives htmx swaps but not a page load: proves a step stayed on one document. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => { (window as unknown as { __sameDocument: boolean }).__sameDocument = true; });
}
export function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
}
