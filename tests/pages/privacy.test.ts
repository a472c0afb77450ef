import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../server/examples.js';
import { createRunVia, pageApp } from './helpers.js';

const OOM = EXAMPLES.find((e) => e.id === 'torch-cuda-oom')!;
const TOKEN = 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const EMAIL = 'jane.doe@example.org';

describe('privacy', () => {
  it('keeps unlisted runs out of the history and shows listed ones', async () => {
    const { app } = pageApp();
    const hidden = await createRunVia(app, { log: OOM.log });
    const shown = await createRunVia(app, { log: OOM.log, listed: true });
    const res = await app.request('/history');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`href="${shown}"`);
    expect(html).not.toContain(hidden.slice(6));
    // the unlisted run is still reachable by its link, and marked noindex
    const page = await app.request(hidden);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-robots-tag')).toBe('noindex');
    expect(await page.text()).toContain('<meta name="robots" content="noindex">');
  });

  it('pages the history with a cursor, newest first', async () => {
    const { app } = pageApp();
    const paths: string[] = [];
    for (let i = 0; i < 27; i++) {
      paths.push(await createRunVia(app, { log: OOM.log, listed: true }));
      await new Promise((r) => setTimeout(r, 2)); // distinct timestamps: the cursor is created_at
    }
    const first = await (await app.request('/history')).text();
    expect(first).toContain(`href="${paths[26]}"`);
    expect(first).not.toContain(`href="${paths[1]}"`);
    const next = /href="(\/history\?before=\d+)" rel="next"/.exec(first)![1];
    const second = await (await app.request(next)).text();
    expect(second).toContain(`href="${paths[0]}"`);
    expect(second).toContain(`href="${paths[1]}"`);
    expect(second).not.toContain(`href="${paths[26]}"`);
    expect(second).not.toContain('rel="next"');
  });

  it('redacts secrets before storing and says what it removed', async () => {
    const { app } = pageApp();
    const log = `${OOM.log}export HF_TOKEN=${TOKEN}\nreport to ${EMAIL}\n`;
    const path = await createRunVia(app, { log, config: `python train.py --batch-size 64 --hub-token ${TOKEN}` });
    const json = await (await app.request(`/api/runs/${path.slice(6)}`)).text();
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain(EMAIL);
    expect(json).toContain('[REDACTED:hf_token]');
    const run = JSON.parse(json);
    expect(run.diagnosis.category).toBe('batch_too_large_runtime');
    expect(run.redactions).toEqual([{ kind: 'hf_token', count: 2 }, { kind: 'email', count: 1 }]);
    const html = await (await app.request(path)).text();
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain(EMAIL);
    expect(html).toContain('Redacted before storing: 2 hf_token, 1 email');
    const md = await (await app.request(`${path}.md`)).text();
    expect(md).not.toContain(TOKEN);
  });

  it('shows markup from a log as text', async () => {
    const { app } = pageApp();
    const log = `${OOM.log}<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n`;
    const path = await createRunVia(app, { log, config: 'python train.py --batch-size 64 --run-name "<script>alert(2)</script>"', listed: true });
    for (const url of [path, '/history']) {
      const html = await (await app.request(url)).text();
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
    }
    const html = await (await app.request(path)).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
