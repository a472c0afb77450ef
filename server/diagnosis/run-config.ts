import { parseYaml } from './lazy-yaml.js';

/** A run's configuration, however it was given: a JSON/YAML object or a command line. Keys are
 * normalised (`--max-model-len` and `maxModelLen` both become `max_model_len`). */
export interface RunConfig {
  values: Record<string, unknown>;
  env: Record<string, string>;
  command: string | null;
}

export class ConfigError extends Error {
  constructor(message: string) { super(message); this.name = 'ConfigError'; }
}

const ALIASES: Record<string, string> = {
  tp: 'tensor_parallel_size', pp: 'pipeline_parallel_size', bs: 'batch_size', batch: 'batch_size',
  per_device_train_batch_size: 'batch_size', train_batch_size: 'batch_size', micro_batch_size: 'batch_size',
  max_seq_len: 'max_model_len', gpu_memory_fraction: 'gpu_memory_utilization',
};

export function normalizeKey(key: string): string {
  const k = key.replace(/^-+/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[-.\s]+/g, '_').toLowerCase();
  return ALIASES[k] ?? k;
}

export function parseRunConfig(input: unknown): RunConfig {
  if (input === undefined || input === null || input === '') return { values: {}, env: {}, command: null };
  if (typeof input === 'object' && !Array.isArray(input)) return fromObject(input as Record<string, unknown>);
  if (typeof input !== 'string') throw new ConfigError('config must be an object, JSON, YAML or a command line');
  const text = input.trim();
  if (/^[{[]/.test(text)) {
    let parsed: unknown;
    try { parsed = JSON.parse(text); } catch (e) {
      try { parsed = parseYaml(text); } catch {
        throw new ConfigError(`config looks like JSON but does not parse: ${(e as Error).message}`);
      }
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError('config must be a JSON object');
    return fromObject(parsed as Record<string, unknown>);
  }
  if (looksLikeCommand(text)) return fromCommand(text);
  let parsed: unknown;
  try { parsed = parseYaml(text); } catch (e) {
    throw new ConfigError(`config is neither JSON, YAML nor a command line: ${(e as Error).message.split('\n')[0]}`);
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return fromObject(parsed as Record<string, unknown>);
  throw new ConfigError('config is neither a JSON/YAML mapping nor a command line (expected key: value pairs or flags such as --max-model-len 32768)');
}

function fromObject(obj: Record<string, unknown>): RunConfig {
  const values: Record<string, unknown> = {};
  let command: string | null = null;
  const env: Record<string, string> = {};
  const walk = (o: Record<string, unknown>, depth: number) => {
    for (const [k, v] of Object.entries(o)) {
      const key = normalizeKey(k);
      if (key === 'command' && typeof v === 'string') { command = v; continue; }
      if (key === 'env' && v && typeof v === 'object') {
        for (const [ek, ev] of Object.entries(v)) env[ek] = String(ev);
        continue;
      }
      if (v && typeof v === 'object' && !Array.isArray(v) && depth < 4) walk(v as Record<string, unknown>, depth + 1);
      else if (!(key in values)) values[key] = coerce(v);
    }
  };
  walk(obj, 0);
  if (command) {
    const fromCmd = fromCommand(command);
    return { values: { ...fromCmd.values, ...values }, env: { ...fromCmd.env, ...env }, command };
  }
  return { values, env, command };
}

const PROGRAMS = /^(?:\$\s+)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:vllm|python3?|torchrun|deepspeed|accelerate|srun|sbatch|llama-server|ollama|text-generation-launcher|docker|bash|sh|\.\/|\/)/;

function looksLikeCommand(text: string): boolean {
  return PROGRAMS.test(text) || /(^|\s)--?[a-zA-Z][\w-]*(=|\s|$)/.test(text.split('\n')[0]);
}

/** Parses a shell command line (quotes, backslash continuations, leading VAR=value, a `$ ` prompt). */
export function fromCommand(text: string): RunConfig {
  const tokens = shellSplit(text.replace(/\\\r?\n/g, ' ').replace(/^\s*\$\s+/, ''));
  const env: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  let i = 0;
  while (i < tokens.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[i])) {
    const [k, ...rest] = tokens[i++].split('=');
    env[k] = rest.join('=');
  }
  const positional: string[] = [];
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if (!/^--?[A-Za-z]/.test(t)) { positional.push(t); continue; }
    const eq = t.indexOf('=');
    if (eq > 0) { values[normalizeKey(t.slice(0, eq))] = coerce(t.slice(eq + 1)); continue; }
    const next = tokens[i + 1];
    if (next !== undefined && (!next.startsWith('-') || /^-\d/.test(next))) { values[normalizeKey(t)] = coerce(next); i++; }
    else values[normalizeKey(t)] = true;
  }
  const serve = positional.indexOf('serve');
  if (serve >= 0 && positional[serve + 1] && values.model === undefined) values.model = positional[serve + 1];
  return { values, env, command: text.trim() };
}

export function shellSplit(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

function coerce(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  return t;
}

/** Numbers from the config as facts, for the planner when the log does not print them. */
export function numericValues(cfg: RunConfig): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(cfg.values)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}
