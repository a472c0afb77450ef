import { expect } from 'vitest';

/** The HTML of one `<section id="...">` of the report. */
export function section(html: string, id: string): string {
  const m = new RegExp(`<section[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</section>`).exec(html);
  if (!m) throw new Error(`no section #${id}`);
  return m[1];
}

/** A downloaded report must load nothing: no script/link/iframe/object/embed/img tags, no URL in
 * any src/href/action/xlink:href attribute, no CSS url() or @import, and a CSP that forbids it all. */
export function assertSelfContained(html: string): void {
  expect(html).not.toMatch(/<script\b/i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/<(iframe|object|embed|img|image|audio|video|source|base|form)\b/i);
  expect(html).not.toMatch(/\b(src|href|xlink:href|action|srcset|poster)\s*=\s*["']?\s*(https?:)?\/\//i);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?|ftp|javascript):/i);
  expect(html).not.toMatch(/url\s*\(/i);
  expect(html).not.toMatch(/@import/i);
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  expect(html.startsWith('<!doctype html>')).toBe(true);
}
