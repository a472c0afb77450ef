import type { Exec } from './exec.js';
import { AMD_SMI_NAME_ARGS, parseAmdSmiNames } from './parse-amd-smi.js';
import { queryGpus } from './read-gpus.js';
import { GPU_TOOLS, VENDOR_OF, type GpuReading, type GpuTool, type GpuVendor } from './readings.js';

export interface DetectedGpu {
  index: number;
  name: string;
  /** null when the GPU has no separate VRAM figure (unified memory) */
  vramTotalGiB: number | null;
}

export type GpuDetection =
  | { found: true; tool: GpuTool; vendor: GpuVendor; gpus: DetectedGpu[] }
  | { found: false; tried: { tool: string; reason: string }[] };

export interface DetectOptions {
  /** per tool call (default 3000 ms): a wedged driver can hang nvidia-smi for minutes */
  timeoutMs?: number;
  /** which tools to try, in order (default nvidia-smi, amd-smi, rocm-smi) */
  tools?: readonly GpuTool[];
}

export const DEFAULT_DETECT_TIMEOUT_MS = 3000;

/** Finds the machine's GPUs by asking each vendor tool in turn; the first that answers with at
 * least one GPU wins. amd-smi comes before rocm-smi because rocm-smi is deprecated from ROCm 6
 * on; both are kept because older ROCm installs have only rocm-smi. No caching: the caller
 * decides how long an answer stays true. */
export async function detectGpu(exec: Exec, opts: DetectOptions = {}): Promise<GpuDetection> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_DETECT_TIMEOUT_MS;
  const tried: { tool: string; reason: string }[] = [];
  for (const tool of opts.tools ?? GPU_TOOLS) {
    const q = await queryGpus(exec, tool, { timeoutMs });
    if (!q.ok) {
      tried.push({ tool, reason: q.reason });
      continue;
    }
    const names = tool === 'amd-smi' ? await amdSmiNames(exec, timeoutMs) : new Map<number, string>();
    const vendor = VENDOR_OF[tool];
    return { found: true, tool, vendor, gpus: q.readings.map((g) => detectedGpu(g, names, vendor)) };
  }
  return { found: false, tried };
}

/** amd-smi's memory query carries no names; a second call does. Its failure costs only the
 * names, never the detection. */
async function amdSmiNames(exec: Exec, timeoutMs: number): Promise<Map<number, string>> {
  const r = await exec('amd-smi', AMD_SMI_NAME_ARGS, { timeoutMs });
  return r.code === 0 && !r.error ? parseAmdSmiNames(r.stdout) : new Map();
}

function detectedGpu(g: GpuReading, names: ReadonlyMap<number, string>, vendor: GpuVendor): DetectedGpu {
  const name = g.name ?? names.get(g.index) ?? `${vendor === 'nvidia' ? 'NVIDIA' : 'AMD'} GPU ${g.index}`;
  return { index: g.index, name, vramTotalGiB: g.vramTotalGiB };
}

/** One line for people: "NVIDIA H200 (140.4 GiB) via nvidia-smi", "8 × AMD Instinct MI300X
 * (191.7 GiB) via amd-smi", "no GPU: nvidia-smi, amd-smi and rocm-smi not found", or each tool
 * with its own reason ("nvidia-smi exited 9: …; amd-smi not found"). */
export function describeDetection(d: GpuDetection): string {
  if (!d.found) {
    if (d.tried.length === 0) return 'no GPU: no tool tried';
    // the common case (no vendor tool installed) in one clause; distinct reasons each get theirs
    if (d.tried.every((t) => t.reason === 'not found')) return `no GPU: ${listed(d.tried.map((t) => t.tool))} not found`;
    return `no GPU: ${d.tried.map((t) => `${t.tool} ${t.reason}`).join('; ')}`;
  }
  // identical cards are counted, not listed eight times
  const groups = new Map<string, number>();
  for (const g of d.gpus) {
    const label = `${g.name} (${g.vramTotalGiB === null ? 'memory not reported' : `${g.vramTotalGiB.toFixed(1)} GiB`})`;
    groups.set(label, (groups.get(label) ?? 0) + 1);
  }
  const parts = [...groups].map(([label, n]) => (n > 1 ? `${n} × ${label}` : label));
  return `${parts.join(', ')} via ${d.tool}`;
}

const listed = (names: string[]) => (names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);
