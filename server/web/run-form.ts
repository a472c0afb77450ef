import { decodeText, RequestError } from '../routes/read-log-request.js';

/** The diagnose form as submitted: what the page re-renders, and where each message goes. */
export interface FormValues { log: string; config: string; listed: boolean }
export interface FormErrors { log?: string; config?: string; form?: string }
export interface Upload { name: string; text: string }

export interface RunForm {
  values: FormValues;
  /** the log to diagnose: the stderr file when one was chosen, else the pasted text */
  log: string;
  config: string | null;
  stderrFile: Upload | null;
  configFile: Upload | null;
}

export type ReadResult = { ok: true; form: RunForm } | { ok: false; status: 400 | 413 | 415; values: FormValues; errors: FormErrors };

export const EMPTY_VALUES: FormValues = { log: '', config: '', listed: false };

/** Reads a multipart (or urlencoded) POST of the diagnose form. Checks sizes, binary content and
 * emptiness per field, so each message can stand next to its field. */
export async function readRunForm(req: Request, maxBytes: number): Promise<ReadResult> {
  const type = (req.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'multipart/form-data' && type !== 'application/x-www-form-urlencoded') {
    return { ok: false, status: 415, values: EMPTY_VALUES, errors: { form: `Unsupported content type "${type || '(none)'}": the form sends multipart/form-data.` } };
  }
  let data: FormData;
  try { data = await req.formData(); } catch {
    return { ok: false, status: 400, values: EMPTY_VALUES, errors: { form: 'The form data could not be read; please submit it again.' } };
  }
  const values: FormValues = { log: '', config: '', listed: data.get('listed') === 'on' };
  const errors: FormErrors = {};
  let status: 400 | 413 = 400;
  const read = async (field: 'log' | 'config', fileName: string) => {
    try {
      const pasted = await text(data.get(field), `The pasted ${field}`, maxBytes);
      values[field] = pasted ?? '';
      const file = await upload(data.get(fileName), maxBytes);
      return { pasted, file };
    } catch (e) {
      if (!(e instanceof RequestError)) throw e;
      if (e.status === 413) { status = 413; values[field] = ''; }
      errors[field] = message(e);
      return { pasted: null, file: null };
    }
  };
  const log = await read('log', 'stderr');
  const config = await read('config', 'configFile');
  const logText = log.file?.text ?? log.pasted ?? '';
  if (!errors.log && !logText.trim()) {
    errors.log = log.file ? `${log.file.name} is empty: choose the file with the crash log.` : 'Paste a crash log or choose a stderr file.';
  }
  if (errors.log || errors.config) return { ok: false, status, values, errors };
  const configText = config.file?.text ?? config.pasted ?? '';
  return {
    ok: true,
    form: { values, log: logText, config: configText.trim() ? configText : null, stderrFile: log.file, configFile: config.file },
  };
}

async function text(value: FormDataEntryValue | null, name: string, maxBytes: number): Promise<string | null> {
  if (value === null || typeof value !== 'string') return null;
  // the same checks as an upload: a pasted text is bytes too
  return decodeText(Buffer.from(value, 'utf8'), name, maxBytes);
}

/** A file input left empty still sends a part with an empty name and no bytes: that is no upload. */
async function upload(value: FormDataEntryValue | null, maxBytes: number): Promise<Upload | null> {
  if (value === null || typeof value === 'string') return null;
  if (value.name === '' && value.size === 0) return null;
  const name = value.name || 'upload';
  if (value.size > maxBytes) throw new RequestError(413, `${name} is ${value.size} bytes; the limit is ${maxBytes}`);
  return { name, text: decodeText(new Uint8Array(await value.arrayBuffer()), name, maxBytes) };
}

function message(e: RequestError): string {
  return /[.!?]$/.test(e.message) ? e.message : `${e.message}.`;
}
