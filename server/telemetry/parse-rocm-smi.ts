import { extractJson, isRecord, pick } from './json-text.js';
import { parseNumber, reading, toGiB, type GpuReading } from './readings.js';

/** The query every rocm-smi call here makes. rocm-smi has no per-GPU memory-only mode worth the
 * difference, so the sampler selects the card with `-d`. */
export function rocmSmiArgs(gpuIndex?: number): string[] {
  const args = ['--showproductname', '--showmeminfo', 'vram', '--showuse', '--json'];
  return gpuIndex === undefined ? args : ['-d', String(gpuIndex), ...args];
}

/** Parses rocm-smi output in either of its shapes: the `--json` document, or — from versions
 * whose --json is broken or absent — the `GPU[0]\t\t: Key: value` text. Both carry the same keys,
 * so one mapping turns a card's fields into a reading. Garbage gives []. */
export function parseRocmSmi(text: string): GpuReading[] {
  const json = parseRocmSmiJson(text);
  return json.length > 0 ? json : parseRocmSmiText(text);
}

/** `{"card0": {"VRAM Total Memory (B)": "205822885888", …}, "system": {…}}`, possibly after
 * WARNING lines. Keys that are not `cardN` (such as "system") are not GPUs. */
export function parseRocmSmiJson(text: string): GpuReading[] {
  const doc = extractJson(text);
  if (!isRecord(doc)) return [];
  const out: GpuReading[] = [];
  for (const [key, fields] of Object.entries(doc)) {
    const m = /^card(\d+)$/i.exec(key);
    if (m && isRecord(fields)) out.push(cardReading(Number(m[1]), fields));
  }
  return out.sort((a, b) => a.index - b.index);
}

const TEXT_LINE = /^GPU\[(\d+)\]\s*:\s*(.*?):\s*(.*)$/;

/** The text report: one `GPU[i]\t\t: Key: value` line per field, framed by `=====` banners. */
export function parseRocmSmiText(text: string): GpuReading[] {
  const cards = new Map<number, Record<string, string>>();
  for (const line of text.split(/\r?\n/)) {
    const m = TEXT_LINE.exec(line.trim());
    if (!m) continue;
    const index = Number(m[1]);
    const fields = cards.get(index) ?? {};
    fields[m[2].trim()] = m[3].trim();
    cards.set(index, fields);
  }
  return [...cards.entries()].sort(([a], [b]) => a - b).map(([index, fields]) => cardReading(index, fields));
}

function cardReading(index: number, f: Record<string, unknown>): GpuReading {
  return reading({
    index,
    name: cardName(f),
    vramUsedGiB: toGiB(pick(f, 'VRAM Total Used Memory (B)'), 'B'),
    vramTotalGiB: toGiB(pick(f, 'VRAM Total Memory (B)'), 'B'),
    utilPct: parseNumber(pick(f, 'GPU use (%)')),
    // not asked for by rocmSmiArgs, but read when a caller's own query includes them
    powerW: parseNumber(pick(f, 'Average Graphics Package Power (W)', 'Current Socket Graphics Package Power (W)')),
    tempC: parseNumber(pick(f, 'Temperature (Sensor junction) (C)', 'Temperature (Sensor edge) (C)')),
  });
}

/** "Card Series" is the marketing name (AMD Instinct MI300X); "Card Model" is often only a PCI id
 * such as 0x74a1, so it is the last resort. */
function cardName(f: Record<string, unknown>): string | undefined {
  for (const key of ['Card Series', 'Card SKU', 'Card Model']) {
    const v = pick(f, key);
    if (typeof v !== 'string') continue;
    const s = v.trim();
    if (s && s !== 'N/A' && !(key === 'Card Model' && /^0x[0-9a-f]+$/i.test(s))) return s;
  }
  return undefined;
}
