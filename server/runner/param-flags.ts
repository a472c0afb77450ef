import type { Params } from '../agent/types.js';

/** Params as command-line flags in the tools' own style (argparse, vLLM): `max_model_len: 65536`
 * → `--max-model-len 65536`, `true` → a bare flag, `false` → left out. `keys`, when given, picks
 * which params become flags and in what order. No shell ever sees these: they go into an argv. */
export function paramFlags(params: Params, keys: readonly string[] = Object.keys(params)): string[] {
  return keys.flatMap((k) => {
    const v = params[k];
    if (v === undefined || v === false) return [];
    const flag = `--${k.replace(/_/g, '-')}`;
    return v === true ? [flag] : [flag, String(v)];
  });
}
