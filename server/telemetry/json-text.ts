/** JSON out of a tool's stdout. rocm-smi and amd-smi print WARNING lines (and sometimes a trailer)
 * around their `--json` output, so a plain JSON.parse fails on real output; this finds the JSON
 * document that starts at the beginning of a line. Returns undefined when there is none. */
export function extractJson(text: string, maxTries = 20): unknown {
  const whole = tryParse(text.trim());
  if (whole !== undefined) return whole;
  let tries = 0;
  // every line that opens an object or array is a candidate start; the end is the last matching
  // close bracket, which skips trailing lines such as "WARNING: ..." printed after the JSON
  const lineStart = /(^|\n)[ \t]*([[{])/g;
  for (let m = lineStart.exec(text); m && tries < maxTries; m = lineStart.exec(text)) {
    const start = m.index + m[0].length - 1;
    const end = text.lastIndexOf(m[2] === '{' ? '}' : ']');
    if (end <= start) continue;
    tries++;
    const parsed = tryParse(text.slice(start, end + 1));
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

function tryParse(s: string): unknown {
  if (!s) return undefined;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value of the first key that matches one of `names`, ignoring case: rocm-smi renamed
 * "Card series" to "Card Series" between versions. */
export function pick(obj: Record<string, unknown>, ...names: string[]): unknown {
  const wanted = names.map((n) => n.toLowerCase());
  for (const w of wanted) {
    for (const [k, v] of Object.entries(obj)) if (k.toLowerCase() === w) return v;
  }
  return undefined;
}
