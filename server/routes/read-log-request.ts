/** Turns a POST body into { log, config } whatever its shape: JSON, text/plain or multipart.
 * Errors carry the HTTP status the API answers with. */
export class RequestError extends Error {
  constructor(readonly status: 400 | 413 | 415, message: string) { super(message); }
}

export interface LogRequest { log: string; config: unknown; explain: boolean; listed: boolean }

export async function readLogRequest(req: Request, maxBytes: number): Promise<LogRequest> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    let body: unknown;
    try { body = JSON.parse(await req.text()); } catch { throw new RequestError(400, 'the body is not valid JSON'); }
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new RequestError(400, 'the body must be a JSON object: { "log": "...", "config": {...} }');
    const { log, config, explain } = body as Record<string, unknown>;
    if (typeof log !== 'string') throw new RequestError(400, 'missing "log": a string with the crash log');
    if (config !== undefined && config !== null && typeof config !== 'string' && (typeof config !== 'object' || Array.isArray(config))) {
      throw new RequestError(400, '"config" must be an object or a string (JSON, YAML or a command line)');
    }
    return { log: checkText(log, 'log', maxBytes), config: config ?? null, explain: explain === true, listed: false };
  }
  if (type === 'text/plain') {
    return { log: decodeText(new Uint8Array(await req.arrayBuffer()), 'log', maxBytes), config: null, explain: false, listed: false };
  }
  if (type === 'multipart/form-data') {
    let form: FormData;
    try { form = await req.formData(); } catch { throw new RequestError(400, 'the multipart body could not be read'); }
    const log = await fieldText(form.get('stderr') ?? form.get('log'), 'stderr', maxBytes);
    const config = await fieldText(form.get('config'), 'config', maxBytes);
    if (!log || !log.trim()) throw new RequestError(400, 'missing log: attach a file "stderr" or a field "log"');
    return { log, config: config && config.trim() ? config : null, explain: form.get('explain') === 'true', listed: form.get('listed') === 'on' };
  }
  throw new RequestError(415, `unsupported content type "${type || '(none)'}": send application/json, text/plain or multipart/form-data`);
}

async function fieldText(value: FormDataEntryValue | null, name: string, maxBytes: number): Promise<string | null> {
  if (value === null) return null;
  if (typeof value === 'string') return checkText(value, name, maxBytes);
  return decodeText(new Uint8Array(await value.arrayBuffer()), name, maxBytes);
}

/** Bytes to text: refuses what is clearly binary (NUL bytes, or mostly undecodable), keeps the
 * rest with U+FFFD where a byte is not UTF-8 (crash logs do contain stray bytes). */
export function decodeText(bytes: Uint8Array, name: string, maxBytes: number): string {
  if (bytes.length > maxBytes) throw new RequestError(413, `${name} is ${bytes.length} bytes; the limit is ${maxBytes}`);
  const head = bytes.subarray(0, 8192);
  let nul = 0;
  for (const b of head) if (b === 0) nul++;
  if (nul > head.length / 100) throw new RequestError(400, `${name} looks like a binary file (NUL bytes), not a text log`);
  const text = new TextDecoder('utf-8').decode(bytes);
  const bad = (text.slice(0, 8192).match(/\uFFFD/g) ?? []).length;
  if (bad > 64 && bad > Math.min(text.length, 8192) / 10) throw new RequestError(400, `${name} is not text (mostly invalid UTF-8)`);
  return text;
}

function checkText(text: string, name: string, maxBytes: number): string {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) throw new RequestError(413, `${name} is ${size} bytes; the limit is ${maxBytes}`);
  if (/\0/.test(text.slice(0, 8192))) throw new RequestError(400, `${name} contains NUL bytes: it looks binary, not a text log`);
  return text;
}
