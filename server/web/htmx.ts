import type { Context } from 'hono';

/** True when htmx asks for a fragment: an htmx request that is neither a history restore nor a
 * whole-body swap. Everything else (a browser, a reload, the back button) gets the whole page. */
export function wantsFragment(c: Context): boolean {
  return c.req.header('hx-request') === 'true'
    && c.req.header('hx-history-restore-request') !== 'true'
    && c.req.header('hx-request-type') !== 'full';
}

/** Routes that answer a page or a fragment from the same URL must say so to caches. */
export function varyOnHtmx(c: Context): void {
  c.header('Vary', 'HX-Request, HX-Request-Type, HX-History-Restore-Request', { append: true });
}
