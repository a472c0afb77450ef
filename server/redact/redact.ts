/** Removes secrets (and, on request, personal details) from pasted logs and configs before they
 * are stored, shown on a public page or sent to an LLM. Every marker names what was removed, so
 * the log stays readable and the page can list the redactions.
 *
 * Inputs reach 10 MB and are untrusted: every regex has bounded repetition and no nested
 * quantifiers (tests/redact checks them with recheck), and each rule is one linear pass.
 * Rules run in a fixed order: tokens with a known shape go first, so whatever the surrounding
 * text, no later rule can keep one of them as "the part to keep" (a URL user, a key name). */

export type RedactionKind = 'hf_token' | 'openai_key' | 'github_token' | 'aws_access_key' | 'aws_secret_key' | 'bearer_token' | 'url_password' | 'private_key' | 'generic_secret' | 'email' | 'home_path' | 'hostname';
export interface Redaction { kind: RedactionKind; count: number }
export interface RedactOptions {
  /** default true */
  emails?: boolean;
  /** /home/<user>/, /Users/<user>/, C:\Users\<user>\ ; default false */
  homePaths?: boolean;
  /** the host in shell prompts (root@1a89b5aa5fce:~#); default false */
  hostnames?: boolean;
}

const KINDS: readonly RedactionKind[] = ['hf_token', 'openai_key', 'github_token', 'aws_access_key', 'aws_secret_key', 'bearer_token', 'url_password', 'private_key', 'generic_secret', 'email', 'home_path', 'hostname'];
const MARK = '[REDACTED:';
const marker = (kind: RedactionKind) => `${MARK}${kind}]`;

/** Known token shapes. No boundary before the distinctive prefixes: a token glued to other text
 * is still a token, and hf_/gh?_/AKIA followed by that many alphanumerics is never prose. */
const SHAPES: readonly (readonly [RedactionKind, RegExp])[] = [
  ['hf_token', /hf_[A-Za-z0-9]{30,256}/g],
  ['hf_token', /(?<![A-Za-z0-9])api_(?:org_)?[A-Za-z0-9]{30,256}/g],
  ['github_token', /gh[pousr]_[A-Za-z0-9]{36,255}/g],
  ['github_token', /github_pat_[A-Za-z0-9_]{22,255}/g],
  // sk- is common inside words (disk-, task-), hence the boundary and the digit check below
  ['openai_key', /(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,256}/g],
  ['aws_access_key', /(?:AKIA|ASIA)[A-Z0-9]{16}/g],
];

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/g;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----/g;
// sticky, so a truncated key's body is read from where it starts and never past its last line
const PEM_REST = /[A-Za-z0-9+/= \t\r]{0,4096}(?=\n|$)/y;
const PEM_LINE = /\n[A-Za-z0-9+/=]{1,128}\r?(?=\n|$)/y;
/** A BEGIN whose END is further than this is a truncated key, not a 5 MB "key". */
const PEM_MAX = 64 * 1024;

// the lookbehinds make the regex start only at the beginning of a word: without them V8 would
// rescan up to 64 characters from every position of a long word, 64x slower on 10 MB
const URL_PASSWORD = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/@?#"'<>]{0,256}:)([^\s/?#"'<>]{1,256})@/g;
const BEARER = /\b(Bearer[ \t]{1,4})([A-Za-z0-9._~+/-]{8,4096}={0,3})/gi;
const EMAIL = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-]{1,64})@(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z]{2,24}/g;
const HOME = /(?<![A-Za-z0-9._-])(\/home\/|\/Users\/|\b[A-Za-z]:(?:\\{1,2}|\/)[Uu]sers(?:\\{1,2}|\/))([A-Za-z0-9._-]{1,64})(?![A-Za-z0-9._-])/g;
// `user@host:~$`, `root@1a89b5aa5fce:/workspace#`, `[user@host dir]$`; git@github.com:org/x is not
const HOSTNAME = /(?<![^\s([])([A-Za-z_][A-Za-z0-9_.-]{0,31})@([A-Za-z0-9][A-Za-z0-9.-]{0,252})(?=:[~/]|[ \t][^\s\]]{1,255}\][$#])/g;

// Key names ending in one of these words take a secret value. `key` alone is not one of them
// (task-key=abc), nor `tokens` (max_num_batched_tokens=8192) nor `tokenizer`.
const WORD = '(?:token|secret|password|passwd|(?:api|access|secret|private)[_-]?key)';
// Unquoted values never start with what marks a placeholder or code ($HF_TOKEN, <pad>, {{x}},
// ***, -flag, [REDACTED:...]) so that a rejected match cannot swallow a real secret after it.
const VALUE = String.raw`(?:"([^"\n]{1,512})"|'([^'\n]{1,512})'|([^\s"'=,;&()<>{}[\]$%*\\-][^\s"',;&(){}[\]\\]{0,511}))`;
const ASSIGN = new RegExp(String.raw`(?<![A-Za-z0-9])(${WORD}(?![A-Za-z0-9])["']?[ \t]{0,3}[:=][ \t]{0,3})${VALUE}`, 'gi');
const FLAG = new RegExp(String.raw`(?<![A-Za-z0-9_-])(--[A-Za-z0-9_-]{0,30}?${WORD}[ \t]{1,3})${VALUE}`, 'gi');

/** Tokenizer settings (pad_token=<pad>, eos_token: "</s>") are not credentials. */
const SPECIAL_TOKEN = /(?:pad|eos|bos|unk|sep|cls|mask|image|eot|start|end|stop|special)[_-]token/;
const PLACEHOLDER = /^(?:none|null|nil|undefined|true|false|str|string|bool|\*{1,64}|\.{3}|<[^>]{0,64}>|\$\{?[A-Za-z0-9_]{1,64}\}?)$/i;
/** `token=self.token`, `use_auth_token=use_auth_token`: a variable in a traceback's source line. */
const VARIABLE = /^[A-Za-z0-9_.]{0,100}(?:token|secret|password|passwd|key)$/i;
const NUMERIC = /^[0-9.:,_-]{1,64}$/;
const AWS_SECRET_KEY = /secret[_-]?access[_-]?key/;
const AWS_SECRET_VALUE = /^[A-Za-z0-9/+]{40}$/;

/** Regexes applied to untrusted text, for the ReDoS test. */
export const PATTERNS: readonly RegExp[] = [...SHAPES.map(([, re]) => re), PEM_BEGIN, PEM_END, PEM_LINE, PEM_REST, URL_PASSWORD, BEARER, EMAIL, HOME, HOSTNAME, ASSIGN, FLAG, SPECIAL_TOKEN, PLACEHOLDER, VARIABLE, NUMERIC, AWS_SECRET_KEY, AWS_SECRET_VALUE];

type Count = (kind: RedactionKind) => void;
/** Given the match, its groups, offset and the whole text: [kind, replacement], or null to keep it. */
type Decide = (m: string, g: (string | undefined)[], off: number, s: string) => readonly [RedactionKind, string] | null;

function apply(text: string, re: RegExp, count: Count, decide: Decide): string {
  return text.replace(re, (m: string, ...rest: unknown[]) => {
    const s = rest[rest.length - 1] as string;
    const off = rest[rest.length - 2] as number;
    const hit = decide(m, rest.slice(0, -2) as (string | undefined)[], off, s);
    if (!hit) return m;
    count(hit[0]);
    return hit[1];
  });
}

/** Whole PEM blocks, in code rather than one regex: a lazy BEGIN…END regex rescans up to the cap
 * for every BEGIN without an END, which is quadratic on adversarial input. */
function redactPem(text: string, count: Count): string {
  const begin = new RegExp(PEM_BEGIN.source, 'g');
  const end = new RegExp(PEM_END.source, 'g');
  let out = '';
  let last = 0;
  let next: RegExpExecArray | null | undefined; // the first END at or after the scan; null: none left
  for (let b = begin.exec(text); b; b = begin.exec(text)) {
    const from = b.index + b[0].length;
    if (next !== null && (next === undefined || next.index < from)) {
      end.lastIndex = from;
      next = end.exec(text);
    }
    const stop = next && next.index - from <= PEM_MAX ? next.index + next[0].length : pemBodyEnd(text, from);
    out += text.slice(last, b.index) + marker('private_key');
    last = begin.lastIndex = stop;
    count('private_key');
  }
  return out === '' ? text : out + text.slice(last);
}

/** End of a truncated key's body: the rest of the BEGIN line if it is base64, then base64 lines. */
function pemBodyEnd(text: string, from: number): number {
  PEM_REST.lastIndex = from;
  if (!PEM_REST.test(text)) return from;
  let end = PEM_REST.lastIndex;
  for (PEM_LINE.lastIndex = end; PEM_LINE.test(text); ) end = PEM_LINE.lastIndex;
  return end;
}

const decideAssignment: Decide = (m, [prefix = '', dq, sq, bare], off, s) => {
  const value = dq ?? sq ?? bare ?? '';
  const key = (s.slice(Math.max(0, off - 16), off) + prefix).toLowerCase();
  const isToken = key.includes('token');
  if (value.trim() === '' || value.startsWith(MARK) || PLACEHOLDER.test(value)) return null;
  if (isToken && (SPECIAL_TOKEN.test(key) || NUMERIC.test(value))) return null;
  if (bare !== undefined && (VARIABLE.test(value) || s[off + m.length] === '(' || s[off + m.length] === '[')) return null;
  const kind: RedactionKind = AWS_SECRET_KEY.test(key) && AWS_SECRET_VALUE.test(value) ? 'aws_secret_key' : 'generic_secret';
  const q = dq !== undefined ? '"' : sq !== undefined ? "'" : '';
  return [kind, `${prefix}${q}${marker(kind)}${q}`];
};

export function redact(text: string, options: RedactOptions = {}): { text: string; redactions: Redaction[] } {
  const counts = new Map<RedactionKind, number>();
  const count: Count = (kind) => counts.set(kind, (counts.get(kind) ?? 0) + 1);
  let t = redactPem(text, count);
  for (const [kind, re] of SHAPES) {
    t = apply(t, re, count, (m) => (kind === 'openai_key' && !/[0-9]/.test(m) ? null : [kind, marker(kind)]));
  }
  t = apply(t, URL_PASSWORD, count, (_m, [head = '', pass = '']) =>
    pass.startsWith(MARK) || PLACEHOLDER.test(pass) ? null : ['url_password', `${head}${marker('url_password')}@`]);
  // a digit tells a credential from prose such as "Bearer authentication required"
  t = apply(t, BEARER, count, (_m, [head = '', tok = '']) => (/[0-9]/.test(tok) ? ['bearer_token', `${head}${marker('bearer_token')}`] : null));
  t = apply(t, ASSIGN, count, decideAssignment);
  t = apply(t, FLAG, count, decideAssignment);
  if (options.homePaths) t = apply(t, HOME, count, (_m, [dir = '']) => ['home_path', `${dir}<user>`]);
  // before e-mails, so that user@host.domain:~$ keeps its user and its shape
  if (options.hostnames) t = apply(t, HOSTNAME, count, (_m, [user = '']) => ['hostname', `${user}@<host>`]);
  if (options.emails !== false) t = apply(t, EMAIL, count, (_m, [local = '']) => (local === 'git' ? null : ['email', marker('email')]));
  return { text: t, redactions: KINDS.filter((k) => counts.has(k)).map((kind) => ({ kind, count: counts.get(kind)! })) };
}
