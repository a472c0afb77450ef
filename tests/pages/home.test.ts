import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import { EXAMPLES } from '../../server/examples.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';
import { HTMX, pageApp } from './helpers.js';

const { app } = pageApp();

describe('GET /', () => {
  it('renders the whole page: the form with labelled inputs, the status line and the examples', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('vary')).toMatch(/HX-Request/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<form id="diagnose-form"');
    expect(html).toMatch(/method="post" action="\/runs" enctype="multipart\/form-data"/);
    for (const id of ['log', 'stderr-file', 'config', 'config-file', 'listed']) {
      expect(html).toContain(`id="${id}"`);
      expect(html).toContain(`<label${id.endsWith('-file') ? ' class="dropzone"' : ''} for="${id}"`);
    }
    expect(html).toMatch(/<input type="checkbox" id="listed" name="listed" aria-describedby="listed-hint">/); // unchecked
    expect(html).toMatch(/<p id="status"[^>]*aria-live="polite"/);
    expect(html.match(/aria-live/g)).toHaveLength(1);
    for (const ex of EXAMPLES) expect(html).toContain(`href="/?example=${ex.id}"`);
    // the scenario cards: each a real form that starts a run (no JavaScript needed)
    for (const id of ['vllm-max-model-len', 'train-batch-64', 'load-timeout', 'vllm-kv-cache']) {
      expect(html).toContain(`<input type="hidden" name="scenario" value="${id}">`);
    }
    expect(html.match(/<form method="post" action="\/scenario-runs">/g)).toHaveLength(4);
    expect(html).toContain('vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 65536 --gpu-memory-utilization 0.99');
    expect(html).toContain('<link rel="icon" href="data:,">');
    // htmx, then its SSE extension (which registers itself on load, so neither is deferred)
    expect(html).toContain('<script src="/vendor/htmx.min.js?v=4.0.1"></script>\n<script src="/vendor/hx-sse.min.js?v=4.0.1"></script>');
  });

  it('makes no third-party requests: every script, stylesheet and image is our own', async () => {
    const html = await (await app.request('/')).text();
    for (const m of html.matchAll(/<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]*)"/g)) {
      expect(m[1], m[0]).toMatch(/^(\/(?!\/)|data:)/);
    }
    expect(html).not.toMatch(/\sstyle="/); // CSP: no inline styles
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // nor inline scripts
  });

  it('fills the inputs from an example (?example=ID), escaped', async () => {
    const ex = EXAMPLES.find((e) => e.id === 'vllm-max-model-len')!;
    const html = await (await app.request(`/?example=${ex.id}`)).text();
    expect(html).toContain('pid=4187) Traceback (most recent call last):');
    expect(html).toContain('File &quot;/usr/local/bin/vllm&quot;, line 10, in &lt;module&gt;');
    expect(html).toContain(`>\n${ex.config}</textarea>`);
    expect(html).toMatch(new RegExp(`href="/\\?example=${ex.id}"[^>]*aria-current="true"`));
  });

  it('answers htmx with the two columns only, and says so with Vary', async () => {
    const res = await app.request('/?example=torch-cuda-oom', { headers: HTMX });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toMatch(/HX-Request/);
    const html = await res.text();
    expect(html).not.toContain('<!doctype html>');
    expect(html).toMatch(/^<title>/);
    expect(html).toContain('<div id="workspace"');
    expect(html).toContain('python train.py --batch-size 64</textarea>');
  });

  it('gives a history restore the whole page', async () => {
    const res = await app.request('/', { headers: { ...HTMX, 'HX-History-Restore-Request': 'true' } });
    expect(await res.text()).toMatch(/^<!doctype html>/);
  });

  it('ignores an unknown example', async () => {
    const html = await (await app.request('/?example=nope')).text();
    expect(html).toContain('<form id="diagnose-form"');
    expect(html).not.toContain('aria-current="true"');
  });
});

describe('examples', () => {
  it.each(EXAMPLES.map((e) => [e.id, e] as const))('%s diagnoses as its category, with a fix', (_id, ex) => {
    const d = diagnoseText(builtinTaxonomy(), ex.log, ex.config || null);
    expect(d.category).toBe(ex.expect);
    expect(d.fix).not.toBeNull();
    expect(d.evidence.length).toBeGreaterThan(0);
  });
});
