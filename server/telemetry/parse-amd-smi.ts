import { extractJson, isRecord, pick } from './json-text.js';
import { reading, toGiB, type GpuReading } from './readings.js';

/** `amd-smi metric --mem-usage --json`, optionally for one GPU (`-g N`). */
export function amdSmiMemoryArgs(gpuIndex?: number): string[] {
  return gpuIndex === undefined ? ['metric', '--mem-usage', '--json'] : ['metric', '-g', String(gpuIndex), '--mem-usage', '--json'];
}

/** `amd-smi static --asic --json`: the marketing names. */
export const AMD_SMI_NAME_ARGS = ['static', '--asic', '--json'];

/** Parses `amd-smi metric --mem-usage --json` in the shapes ROCm versions print:
 * - `[{"gpu": 0, "mem_usage": {"total_vram": {"value": 196592, "unit": "MB"}, …}}]`
 * - older: `"total_vram": "196592 MB"`
 * - newer: the same list wrapped as `{"gpu_data": [...]}`.
 * amd-smi's "MB" is MiB. `names` (from parseAmdSmiNames) fills in the names this command lacks.
 * Garbage gives []. */
export function parseAmdSmiMemory(text: string, names: ReadonlyMap<number, string> = new Map()): GpuReading[] {
  const out: GpuReading[] = [];
  for (const gpu of amdGpuList(extractJson(text))) {
    const index = gpuIndex(gpu);
    const mem = pick(gpu, 'mem_usage');
    if (index === null || !isRecord(mem)) continue;
    const total = toGiB(quantity(pick(mem, 'total_vram')), 'MiB');
    let used = toGiB(quantity(pick(mem, 'used_vram')), 'MiB');
    // some versions report only total and free; used is then their difference
    const free = toGiB(quantity(pick(mem, 'free_vram')), 'MiB');
    if (used === null && total !== null && free !== null) used = Math.max(0, total - free);
    out.push(reading({ index, name: names.get(index), vramUsedGiB: used, vramTotalGiB: total }));
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Parses `amd-smi static --asic --json` (`[{"gpu": 0, "asic": {"market_name": …}}]`, possibly
 * wrapped in gpu_data) into index → name. "N/A" names are left out. */
export function parseAmdSmiNames(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const gpu of amdGpuList(extractJson(text))) {
    const index = gpuIndex(gpu);
    const asic = pick(gpu, 'asic');
    if (index === null || !isRecord(asic)) continue;
    const name = pick(asic, 'market_name');
    if (typeof name === 'string' && name.trim() && name.trim() !== 'N/A') names.set(index, name.trim());
  }
  return names;
}

/** The per-GPU objects, whichever wrapping this amd-smi version used: a list, `{"gpu_data": [...]}`
 * or, for a single GPU, a bare object. */
function amdGpuList(doc: unknown): Record<string, unknown>[] {
  let list: unknown = doc;
  if (isRecord(doc)) list = Array.isArray(doc.gpu_data) ? doc.gpu_data : 'gpu' in doc ? [doc] : [];
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

function gpuIndex(gpu: Record<string, unknown>): number | null {
  const raw = pick(gpu, 'gpu');
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** `{"value": 196592, "unit": "MB"}` → "196592 MB"; strings ("196592 MB", "N/A") and numbers pass
 * through, so toGiB handles every version's shape the same way. */
function quantity(v: unknown): unknown {
  if (!isRecord(v)) return v;
  const value = v.value;
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  return typeof v.unit === 'string' ? `${value} ${v.unit}` : value;
}
