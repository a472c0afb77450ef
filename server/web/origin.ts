/** The origin a visitor used to reach us, for absolute links (API snippets, permalinks).
 * The Space sits behind Hugging Face's TLS proxy: the scheme comes from X-Forwarded-Proto, the
 * host from the Host header. Both are checked against a strict shape, because they end up in
 * shell snippets people copy; anything odd falls back to the address the request was made to. */

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]{2,45}\])(?::[0-9]{1,5})?$/;

export function requestOrigin(req: Request): string {
  const url = new URL(req.url);
  const forwarded = (req.headers.get('x-forwarded-proto') ?? '').split(',')[0].trim().toLowerCase();
  const proto = forwarded === 'https' || forwarded === 'http' ? forwarded : url.protocol.replace(':', '');
  const host = req.headers.get('host') ?? url.host;
  return `${proto}://${HOST.test(host) && host.length <= 260 ? host : url.host}`;
}
