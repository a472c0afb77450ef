import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../server/examples.js';
import { createRunVia, formData, HTMX, pageApp, postForm, runCount } from './helpers.js';

const VLLM = EXAMPLES.find((e) => e.id === 'vllm-max-model-len')!;
const OOM = EXAMPLES.find((e) => e.id === 'torch-cuda-oom')!;
const RUN_PATH = /^\/runs\/[A-Za-z0-9_-]{22}$/;

describe('POST /runs → 303 → GET /runs/:id', () => {
  const { app, db } = pageApp();

  it('stores a pasted log and shows its diagnosis card', async () => {
    const res = await postForm(app, { log: VLLM.log, config: VLLM.config });
    expect(res.status).toBe(303);
    const path = res.headers.get('location')!;
    expect(path).toMatch(RUN_PATH);
    const page = await app.request(path);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<article id="diagnosis-card"');
    expect(html).toContain('<code class="category">context_length_exceeded</code>');
    expect(html).toContain('Severity</span> High');
    // the evidence line is highlighted in the log viewer and linked
    expect(html).toContain('<a href="#L10">line 10</a>');
    expect(html).toMatch(/<div class="log-line hit" id="L10"><a class="ln" href="#L10">10<\/a>/);
    // the fix: before/after, its arithmetic, the fixed command with a copy button
    expect(html).toMatch(/before<\/span> <code>65536<\/code>/);
    expect(html).toMatch(/after<\/span> <code>32768<\/code>/);
    expect(html).toContain('so the largest valid value is 32768');
    expect(html).toContain('<pre id="fixed-command"><code>vllm serve mistralai/Mistral-7B-Instruct-v0.3 --max-model-len 32768</code></pre>');
    expect(html).toContain('data-copy="fixed-command"');
    // actions
    expect(html).toContain(`value="http://localhost${path}"`);
    expect(html).toContain(`data-copy-url="${path}.md"`);
    expect(html).toContain(`href="/api/runs/${path.slice(6)}" download=`);
    expect(html).toContain('Private link');
  });

  it('answers htmx with the result fragment (and the status out of band); Vary: HX-Request', async () => {
    const path = await createRunVia(app, { log: OOM.log, config: OOM.config });
    const res = await app.request(path, { headers: HTMX });
    expect(res.headers.get('vary')).toMatch(/HX-Request/);
    const html = await res.text();
    expect(html).not.toContain('<!doctype html>');
    expect(html).not.toContain('<form');
    expect(html).toContain('<article id="diagnosis-card"');
    expect(html).toContain('<code class="category">batch_too_large_runtime</code>');
    expect(html).toMatch(/<p id="status" hx-swap-oob="innerHTML">Diagnosed batch_too_large_runtime/);
    expect(html).toContain('python train.py --batch-size 32 --gradient-accumulation-steps 2');
    const page = await (await app.request(path)).text();
    expect(page).toMatch(/^<!doctype html>/);
  });

  it('also redirects an htmx POST (fetch follows the 303 to the permalink)', async () => {
    const res = await postForm(app, { log: OOM.log }, HTMX);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(RUN_PATH);
  });

  it('stores uploaded stderr and config files as artifacts', async () => {
    const path = await createRunVia(app, {
      stderr: { name: 'job-1234.err', content: OOM.log },
      configFile: { name: 'launch.sh', content: 'python train.py --batch-size 64\n' },
    });
    const html = await (await app.request(path)).text();
    expect(html).toContain('<code class="category">batch_too_large_runtime</code>');
    expect(html).toContain(`href="${path}/artifacts/stderr.err"`);
    expect(html).toContain(`href="${path}/artifacts/config.sh"`);
    const file = await app.request(`${path}/artifacts/config.sh`);
    expect(file.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await file.text()).toBe('python train.py --batch-size 64\n');
    expect((await app.request(`${path}/artifacts/nope.txt`)).status).toBe(404);
    const log = await app.request(`${path}/log.txt`);
    expect(await log.text()).toBe(OOM.log);
  });

  it('lands a GET of /runs on the form', async () => {
    const res = await app.request('/runs');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
  });

  it('keeps every run it was asked to store', () => {
    expect(runCount(db)).toBe(4);
  });
});

describe('the diagnosis card’s fix', () => {
  it('marks a fix change offered instead of the others as an alternative, not applied', async () => {
    const log = [
      'INFO bench.py: 20 prompts, concurrency 1, time budget 30 s',
      'benchmark: completed 13/20 in 30.6 s (budget 30 s)',
      'TimeoutError: benchmark exceeded its time budget of 30 s',
    ].join('\n');
    const { app } = pageApp();
    const html = await (await app.request(await createRunVia(app, { log, config: 'python bench.py --prompts 20 --budget-s 30 --concurrency 1' }))).text();
    expect(html).toContain('<div class="change">\n    <div class="change-param"><code>budget_s</code></div>');
    expect(html).toContain('<div class="change change-alternative">\n    <div class="change-param"><code>prompts</code> <span class="change-note">alternative, not applied</span></div>');
    expect(html.match(/change-note/g)).toHaveLength(1);
  });
});

describe('errors are shown next to their field, and nothing is stored', () => {
  it('an empty log → 400', async () => {
    const { app, db } = pageApp();
    const res = await postForm(app, { log: '  \n', config: '--batch-size 8' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/<p class="error" id="log-error">.*Paste a crash log or choose a stderr file\.<\/p>/);
    expect(html).toMatch(/<textarea id="log"[^>]*aria-invalid="true"/);
    expect(html).toContain('>\n--batch-size 8</textarea>'); // what was typed is kept
    expect(runCount(db)).toBe(0);
  });

  it('a binary upload → 400', async () => {
    const { app, db } = pageApp();
    const bytes = new Uint8Array(4096).map((_, i) => (i % 3 === 0 ? 0 : i % 251));
    const res = await postForm(app, { stderr: { name: 'core.bin', content: bytes } });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/id="log-error">.*core\.bin looks like a binary file/);
    expect(runCount(db)).toBe(0);
  });

  it('an oversize log → 413, for a pasted text, a file or a whole body over the limit', async () => {
    const { app, db } = pageApp({ REPLAYLAB_MAX_LOG_BYTES: '1024' });
    const big = 'x'.repeat(2000);
    const pasted = await postForm(app, { log: big });
    expect(pasted.status).toBe(413);
    const html = await pasted.text();
    expect(html).toMatch(/id="log-error">.*The pasted log is 2000 bytes; the limit is 1024\./);
    expect(html).not.toContain(big); // not echoed back
    const file = await postForm(app, { stderr: { name: 'big.log', content: big } });
    expect(file.status).toBe(413);
    expect(await file.text()).toMatch(/id="log-error">.*big\.log is 2000 bytes/);
    const body = await postForm(app, { log: 'y'.repeat(70_000) });
    expect(body.status).toBe(413);
    expect(await body.text()).toMatch(/id="log-error">.*The upload is larger than/);
    expect(runCount(db)).toBe(0);
  });

  it('a broken config → 400 next to the config field', async () => {
    const { app, db } = pageApp();
    const res = await postForm(app, { log: OOM.log, config: '{"batch_size": 64,' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/<p class="error" id="config-error">.*Config looks like JSON but does not parse/);
    expect(html).not.toContain('id="log-error"');
    expect(html).toMatch(/<textarea id="config"[^>]*aria-invalid="true"/);
    expect(runCount(db)).toBe(0);
  });

  it('another content type → 415', async () => {
    const { app } = pageApp();
    const res = await app.request('/runs', { method: 'POST', body: 'log', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(/id="form-error"/);
  });

  it('answers htmx with the input column, retargeted there, and no URL change', async () => {
    const { app, db } = pageApp();
    const res = await app.request('/runs', { method: 'POST', body: formData({ log: '' }), headers: HTMX });
    expect(res.status).toBe(400);
    expect(res.headers.get('vary')).toMatch(/HX-Request/);
    expect(res.headers.get('hx-retarget')).toBe('#inputs');
    expect(res.headers.get('hx-reswap')).toBe('outerHTML');
    expect(res.headers.get('hx-push-url')).toBe('false');
    const html = await res.text();
    expect(html).not.toContain('<!doctype html>');
    expect(html).toMatch(/^<section id="inputs"/);
    expect(html).toContain('id="log-error"');
    expect(html).toMatch(/<p id="status" hx-swap-oob="innerHTML">Not diagnosed/);
    expect(runCount(db)).toBe(0);
  });
});

describe('unknown runs are 404 pages', () => {
  const { app } = pageApp();
  it.each([
    '/runs/AAAAAAAAAAAAAAAAAAAAAA',
    '/runs/..%2F..%2Fetc%2Fpasswd',
    '/runs/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '/runs/../../etc/passwd',
    `/runs/${'A'.repeat(23)}`,
    `/runs/${'A'.repeat(5000)}`,
    '/runs/AAAAAAAAAAAAAAAAAAAAAA.md',
    '/runs/AAAAAAAAAAAAAAAAAAAAAA/log.txt',
    '/runs/AAAAAAAAAAAAAAAAAAAAAA/artifacts/stderr.log',
    '/no/such/page',
  ])('%s', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<h1>Not found</h1>');
  });

  it('GET /api/runs/:id answers 404 JSON', async () => {
    for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', '..%2F..%2Fetc%2Fpasswd', 'A'.repeat(300)]) {
      const res = await app.request(`/api/runs/${id}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: 'not found' });
    }
  });
});
