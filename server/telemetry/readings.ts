/** What every GPU tool parser returns, whatever the vendor: one reading per GPU, memory in GiB
 * (bytes / 2^30), so the sampler, the detector and the report never see a tool's own units. */

export const GPU_TOOLS = ['nvidia-smi', 'amd-smi', 'rocm-smi'] as const;
export type GpuTool = (typeof GPU_TOOLS)[number];
export type GpuVendor = 'nvidia' | 'amd';

export const VENDOR_OF: Record<GpuTool, GpuVendor> = { 'nvidia-smi': 'nvidia', 'amd-smi': 'amd', 'rocm-smi': 'amd' };

export interface GpuReading {
  index: number;
  name?: string;
  /** null when the tool reports the field as N/A or Not Supported: unified-memory parts (e.g.
   * NVIDIA GB10) have a GPU but no separate VRAM figure, and that GPU still exists. */
  vramUsedGiB: number | null;
  vramTotalGiB: number | null;
  utilPct?: number;
  powerW?: number;
  tempC?: number;
}

/** A plain decimal number, optionally followed by a unit (`75.23`, `1234 MiB`, `25 %`); anything
 * else (`[N/A]`, `[Not Supported]`, `N/A`, `[Unknown Error]`, empty) is "not reported". */
const NUMBER_WITH_UNIT = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*([A-Za-z%]*)$/;

export function parseQuantity(raw: unknown): { value: number; unit: string } | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? { value: raw, unit: '' } : null;
  if (typeof raw !== 'string') return null;
  const m = NUMBER_WITH_UNIT.exec(raw.trim());
  if (!m) return null;
  const value = Number(m[1]);
  return Number.isFinite(value) ? { value, unit: m[2] } : null;
}

/** The number in a field, ignoring any unit; undefined when the tool did not report it. */
export function parseNumber(raw: unknown): number | undefined {
  return parseQuantity(raw)?.value;
}

const BYTES_PER_UNIT: Record<string, number> = {
  b: 1,
  kb: 2 ** 10, kib: 2 ** 10,
  // amd-smi and nvidia-smi both say "MB"/"MiB" and both mean 2^20 bytes.
  mb: 2 ** 20, mib: 2 ** 20,
  gb: 2 ** 30, gib: 2 ** 30,
};

/** A memory quantity → GiB. `defaultUnit` applies when the text has no unit (nvidia-smi's
 * `nounits` gives MiB, rocm-smi's "(B)" keys give bytes); an unknown unit gives null rather than
 * a number that is off by a factor of 1024. */
export function toGiB(raw: unknown, defaultUnit: 'B' | 'MiB'): number | null {
  const q = parseQuantity(raw);
  if (!q || q.value < 0) return null;
  const perUnit = BYTES_PER_UNIT[(q.unit || defaultUnit).toLowerCase()];
  return perUnit === undefined ? null : (q.value * perUnit) / 2 ** 30;
}

/** Drops undefined optional fields, so readings compare and serialise cleanly. */
export function reading(r: GpuReading): GpuReading {
  const out: GpuReading = { index: r.index, vramUsedGiB: r.vramUsedGiB, vramTotalGiB: r.vramTotalGiB };
  if (r.name) out.name = r.name;
  if (r.utilPct !== undefined) out.utilPct = r.utilPct;
  if (r.powerW !== undefined) out.powerW = r.powerW;
  if (r.tempC !== undefined) out.tempC = r.tempC;
  return out;
}

/** The first non-empty line of a tool's output, shortened: enough to say why it failed. */
export function firstLine(text: string, max = 160): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
