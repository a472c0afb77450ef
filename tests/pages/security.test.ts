import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HTMX_VERSION } from '../../server/web/assets.js';
import { EXAMPLES } from '../../server/examples.js';
import { createRunVia, pageApp } from './helpers.js';

const { app } = pageApp();

describe('headers', () => {
  it('lets the Hugging Face Space frame the page (CSP frame-ancestors, no X-Frame-Options)', async () => {
    for (const path of ['/', '/history', '/api', '/no/such/page']) {
      const res = await app.request(path);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/frame-ancestors 'self' https:\/\/huggingface\.co https:\/\/\*\.hf\.space/);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('set-cookie')).toBeNull();
    }
  });

  it('serves htmx and the assets from our origin, with long and short caches', async () => {
    const htmx = await app.request('/vendor/htmx.min.js');
    expect(htmx.status).toBe(200);
    expect(htmx.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(htmx.headers.get('cache-control')).toContain('max-age=31536000');
    // the vendored file is the installed package's build, and its URL carries that version
    const installed = readFileSync(fileURLToPath(new URL('../../node_modules/htmx.org/dist/htmx.min.js', import.meta.url)), 'utf8');
    expect(await htmx.text()).toBe(installed);
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../node_modules/htmx.org/package.json', import.meta.url)), 'utf8'));
    expect(HTMX_VERSION).toBe(pkg.version);
    const css = await app.request('/static/app.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('cache-control')).toBe('public, max-age=300');
    expect((await app.request('/static/../package.json')).status).toBe(404);
    expect((await app.request('/static/nope.js')).status).toBe(404);
  });
});

describe('GET /api', () => {
  it('builds its snippets with the origin the request came from', async () => {
    const res = await app.request('/api', { headers: { host: 'someone-replaylab.hf.space', 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('curl -X POST https://someone-replaylab.hf.space/api/diagnose');
    expect(html).toContain('fetch(&#39;https://someone-replaylab.hf.space/api/diagnose&#39;');
    expect(html).toContain('requests.post(&quot;https://someone-replaylab.hf.space/api/diagnose&quot;');
    expect(html).toContain('https://someone-replaylab.hf.space/api/runs/RUN_ID');
    for (const code of ['400', '413', '415']) expect(html).toContain(`<code>${code}</code>`);
  });

  it('does not put a forged Host header into the snippets', async () => {
    const res = await app.request('http://localhost/api', { headers: { host: "evil.example'; rm -rf ~; echo '" } });
    const html = await res.text();
    expect(html).not.toContain('rm -rf');
    expect(html).toContain('curl -X POST http://localhost/api/diagnose');
  });
});

describe('GET /runs/:id.md', () => {
  it('is Markdown with the category, the evidence and the fix', async () => {
    const oom = EXAMPLES.find((e) => e.id === 'torch-cuda-oom')!;
    const path = await createRunVia(app, { log: oom.log, config: oom.config });
    const res = await app.request(`${path}.md`, { headers: { host: 'x.hf.space', 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const md = await res.text();
    expect(md).toMatch(/^## ReplayLab diagnosis: `batch_too_large_runtime`/);
    expect(md).toContain(`[permalink](https://x.hf.space${path})`);
    expect(md).toContain('```diff\n- batch_size: 64\n+ batch_size: 32');
    expect(md).toContain('```bash\npython train.py --batch-size 32 --gradient-accumulation-steps 2\n```');
    expect(md).toMatch(/```text\n\s*12 \| torch\.OutOfMemoryError/);
  });
});

describe('a server error', () => {
  it('is a page for a browser, a fragment for htmx, JSON for the API', async () => {
    const { app } = pageApp();
    app.get('/boom', () => { throw new Error('boom'); });
    app.get('/api/boom', () => { throw new Error('boom'); });
    const original = console.error;
    console.error = () => {};
    try {
      const page = await app.request('/boom');
      expect(page.status).toBe(500);
      expect(await page.text()).toMatch(/^<!doctype html>[\s\S]*Something broke/);
      const fragment = await app.request('/boom', { headers: { 'HX-Request': 'true' } });
      expect(fragment.status).toBe(500);
      expect(fragment.headers.get('hx-retarget')).toBe('#result');
      expect(await fragment.text()).not.toContain('<!doctype html>');
      const api = await app.request('/api/boom');
      expect(await api.json()).toEqual({ error: 'internal error' });
    } finally {
      console.error = original;
    }
  });
});
