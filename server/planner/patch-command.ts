import type { FixChange } from '../diagnosis/types.js';
import { normalizeKey } from '../diagnosis/run-config.js';

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** Applies the changes to a command line: a flag's value is replaced where the flag is present
 * (`--max-model-len 65536`, `--max_model_len=65536`), appended otherwise; environment variables
 * are set in front. Only concrete values are applied: a change whose `to` is advice stays out. */
export function patchCommand(command: string, changes: FixChange[], env: Record<string, string>): string {
  let out = command.trim().replace(/\\\r?\n\s*/g, '');
  for (const c of changes) {
    if (!isConcrete(c) || c.alternative || ENV_NAME.test(c.param)) continue;
    const flag = flagPattern(c.param);
    const value = String(c.to);
    const withValue = new RegExp(`(\\s)(${flag})(=|\\s+)(\\S+)`);
    const bare = new RegExp(`(\\s)(${flag})(?=\\s|$)`);
    if (c.to === true) {
      if (!bare.test(out) && !withValue.test(out)) out += ` --${c.param.replace(/_/g, '-')}`;
    } else if (withValue.test(out)) {
      out = out.replace(withValue, (_m, sp, name, sep) => `${sp}${name}${sep}${value}`);
    } else {
      out += ` --${c.param.replace(/_/g, '-')} ${value}`;
    }
  }
  const prefix = Object.entries(env).filter(([, v]) => !v.startsWith('<')).map(([k, v]) => `${k}=${v}`);
  // drop an existing assignment of the same variable before prefixing the new one
  for (const [k] of Object.entries(env)) out = out.replace(new RegExp(`(^|\\s)${k}=\\S+\\s+`), '$1');
  return [...prefix, out].join(' ').trim();
}

/** The config with the changes applied, keys as the user wrote them where they exist. */
export function patchConfig(config: Record<string, unknown>, changes: FixChange[]): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(config);
  for (const c of changes) {
    if (!isConcrete(c) || c.alternative) continue;
    const key = Object.keys(out).find((k) => normalizeKey(k) === normalizeKey(c.param)) ?? c.param;
    out[key] = c.to;
  }
  return out;
}

export function isConcrete(c: FixChange): boolean {
  return typeof c.to === 'number' || typeof c.to === 'boolean' || (typeof c.to === 'string' && /^[\w.:/-]+$/.test(c.to));
}

function flagPattern(param: string): string {
  const parts = param.split(/[_-]/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const aliases = param === 'tensor_parallel_size' ? '|-tp' : param === 'batch_size' ? '|--bs' : '';
  return `--${parts.join('[-_]')}${aliases}`;
}
