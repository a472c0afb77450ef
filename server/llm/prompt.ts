/** The prompt: the rule diagnosis, the evidence lines with a little context, the facts and the
 * run config, all passed through the store's redactor as one text before anything is sent. */
import { createHash } from 'node:crypto';
import type { Diagnosis } from '../diagnosis/types.js';
import { redact } from '../redact/redact.js';

/** Bump when the prompt or the answer schema changes: it is part of the cache key. */
export const PROMPT_VERSION = 'explain-v1';

export interface PromptInput { log?: string | Buffer | null; config?: unknown }
export interface PromptOptions {
  /** the ids the model may answer with (listed in the prompt for servers without json_schema) */
  taxonomyIds?: readonly string[];
  /** redact /home/<user> and user@host prompts too; default true */
  homePaths?: boolean;
  hostnames?: boolean;
}
export interface ChatMessage { role: 'system' | 'user'; content: string }
export interface Prompt { messages: ChatMessage[]; evidenceHash: string; promptVersion: string }

const CONTEXT = 2;
const MAX_EVIDENCE = 8;
const MAX_LINE = 400;
const MAX_CONTEXT_CHARS = 4096;
const MAX_CONFIG_CHARS = 1500;

export const SYSTEM_PROMPT = [
  'You explain a failure diagnosis that a rule engine already made from the log of a GPU job (inference server or training run).',
  'Do not investigate on your own and do not invent facts: use only the diagnosis, the evidence lines, the facts and the config given.',
  'Keep the rule category unless the evidence lines clearly show one of the listed alternatives instead; if you change it, cite the line number.',
  'Answer with one JSON object and nothing else (no markdown), with exactly these keys:',
  '"root_cause": one sentence; "failure_category": one of the allowed ids; "explanation": 2-4 plain sentences for an engineer, citing evidence line numbers;',
  '"recommended_fix": the concrete change, naming the parameter or environment variable and its new value (prefer the computed fix); "confidence": a number from 0 to 1.',
  'Never recommend bypassing a safety check (such as VLLM_ALLOW_LONG_MAX_MODEL_LEN, --force, rm -rf, or overriding the GPU architecture).',
  'Text shown as [REDACTED:...] was removed on purpose: never guess or reconstruct it.',
].join('\n');

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Lines are read this far before redaction (longer than any token shape), then clipped: a
 * secret cut in half by the clip would no longer be recognised. */
const READ_WINDOW = MAX_LINE + 8192;
const redactOpts = (o: PromptOptions) => ({ emails: true, homePaths: o.homePaths ?? true, hostnames: o.hostnames ?? true });
/** A bare base64 line: the body of a private key whose BEGIN line is outside the context. */
const BLOB = /^[A-Za-z0-9+/=]{40,}$/;

/** Runs of consecutive wanted line numbers, so that multi-line secrets are redacted whole. */
function runs(wanted: Set<number>): [number, number][] {
  const out: [number, number][] = [];
  for (const n of [...wanted].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n; else out.push([n, n]);
  }
  return out;
}

/** The wanted lines of a log (1-based), redacted, found without splitting a 10 MB log. */
function pickLines(log: string, wanted: Set<number>, options: PromptOptions): Map<number, string> {
  const raw = new Map<number, string>();
  const last = Math.max(0, ...wanted);
  let start = 0;
  for (let n = 1; n <= last; n++) {
    const nl = log.indexOf('\n', start);
    if (nl < 0 && start === log.length && n > 1) break; // after the final newline: no line
    const end = nl < 0 ? log.length : nl;
    if (wanted.has(n)) raw.set(n, log.slice(start, Math.min(end, start + READ_WINDOW)).replace(/\r$/, ''));
    if (nl < 0) break;
    start = nl + 1;
  }
  const out = new Map<number, string>();
  for (const [a, b] of runs(new Set(raw.keys()))) {
    const nums = Array.from({ length: b - a + 1 }, (_, i) => a + i);
    let lines = redact(nums.map((n) => raw.get(n)!).join('\n'), redactOpts(options)).text.split('\n');
    // a private key collapses to one marker: then redact line by line to keep the numbering
    if (lines.length !== nums.length) lines = nums.map((n) => redact(raw.get(n)!, redactOpts(options)).text);
    nums.forEach((n, i) => out.set(n, BLOB.test(lines[i].trim()) ? '[REDACTED:private_key]' : lines[i]));
  }
  return out;
}

/** The evidence lines marked `>`, with ±2 lines of context while the budget lasts. */
export function evidenceBlock(d: Diagnosis, log?: string | Buffer | null, options: PromptOptions = {}): string {
  const evidence = d.evidence.slice(0, MAX_EVIDENCE);
  const text = log == null ? '' : typeof log === 'string' ? log : log.toString('utf8');
  const marked = new Set(evidence.map((e) => e.line));
  const wanted = new Set<number>();
  for (const e of evidence) for (let n = Math.max(1, e.line - CONTEXT); n <= e.line + CONTEXT; n++) wanted.add(n);
  const lines = text ? pickLines(text, wanted, options) : new Map<number, string>();
  for (const e of evidence) if (!lines.has(e.line)) lines.set(e.line, redact(e.text, redactOpts(options)).text);
  const row = (n: number) => `${marked.has(n) ? '>' : ' '} ${n} | ${clip(lines.get(n) ?? '', MAX_LINE)}`;
  // the evidence lines first, then context, nearest first, as long as it fits
  let used = evidence.reduce((sum, e) => sum + row(e.line).length + 1, 0);
  const keep = new Set(marked);
  for (const n of [...lines.keys()].filter((n) => !marked.has(n)).sort((a, b) => nearest(a, marked) - nearest(b, marked))) {
    const cost = row(n).length + 1;
    if (used + cost > MAX_CONTEXT_CHARS) break;
    used += cost;
    keep.add(n);
  }
  const rows = [...keep].sort((a, b) => a - b).map(row);
  return rows.length ? rows.join('\n') : '(no evidence lines)';
}

const nearest = (n: number, marked: Set<number>) => Math.min(...[...marked].map((m) => Math.abs(m - n)));

/** Everything clipped is redacted first: a clip through a token leaves a piece no rule knows. */
const safeClip = (s: string, n: number, o: PromptOptions) => clip(redact(s, redactOpts(o)).text, n);

function configText(config: unknown, o: PromptOptions): string | null {
  if (config === undefined || config === null || config === '') return null;
  const text = typeof config === 'string' ? config : JSON.stringify(config, null, 1) ?? String(config);
  return safeClip(text.trim(), MAX_CONFIG_CHARS, o);
}

/** The diagnosis quotes evidence lines clipped to 200 characters; quote them redacted instead. */
function requote(text: string, d: Diagnosis, o: PromptOptions): string {
  for (const e of d.evidence) {
    const line = e.text.trim();
    const cut = line.slice(0, 200);
    if (line.length > 200 && text.includes(cut)) text = text.split(cut).join(safeClip(line, 200, o));
  }
  return text;
}

function diagnosisText(d: Diagnosis, o: PromptOptions): string {
  const fix = d.fix;
  const out = [
    'Rule diagnosis:',
    `category: ${d.category}`,
    `title: ${d.title}`,
    `root cause: ${requote(d.root_cause, d, o)}`,
    `rule confidence: ${d.confidence}`,
    `alternatives the rules considered: ${d.alternatives.map((a) => `${a.category} (${a.confidence})`).join(', ') || 'none'}`,
    `computed fix: ${fix ? fix.summary : 'none'}`,
  ];
  if (fix) {
    for (const c of fix.changes) out.push(`  - ${c.param}: ${c.from ?? '(unset)'} -> ${c.to}${c.alternative ? ' (alternative)' : ''}; ${c.why}`);
    for (const [k, v] of Object.entries(fix.env)) out.push(`  - env ${k}=${v}`);
    if (fix.command) out.push(`  command: ${fix.command}`);
  }
  out.push('facts:', ...Object.entries(d.facts).slice(0, 40).map(([k, v]) => `  ${k}: ${safeClip(String(v), 200, o)}`));
  if (o.taxonomyIds?.length) out.push(`allowed failure_category ids: ${o.taxonomyIds.join(', ')}`);
  return out.join('\n');
}

export function buildPrompt(d: Diagnosis, input: PromptInput, options: PromptOptions = {}): Prompt {
  const config = configText(input.config, options);
  const raw = [
    diagnosisText(d, options),
    `run config:\n${config ?? '(none given)'}`,
    `evidence (line numbers from the log; '>' marks the lines the rules matched):\n${evidenceBlock(d, input.log, options)}`,
  ].join('\n\n');
  // once more over everything (the diagnosis quotes log lines, the config may hold keys)
  const { text } = redact(raw, redactOpts(options));
  return {
    messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: text }],
    evidenceHash: createHash('sha256').update(text).digest('hex'),
    promptVersion: PROMPT_VERSION,
  };
}
