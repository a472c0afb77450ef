import type { Exec, ExecResult } from './exec.js';
import { amdSmiMemoryArgs, parseAmdSmiMemory } from './parse-amd-smi.js';
import { nvidiaSmiArgs, parseNvidiaSmi } from './parse-nvidia-smi.js';
import { parseRocmSmi, rocmSmiArgs } from './parse-rocm-smi.js';
import { firstLine, type GpuReading, type GpuTool } from './readings.js';

/** How each tool is asked for its GPUs (all of them, or one) and how its answer is read. */
const QUERIES: Record<GpuTool, { args: (gpuIndex?: number) => string[]; parse: (stdout: string) => GpuReading[] }> = {
  'nvidia-smi': { args: nvidiaSmiArgs, parse: parseNvidiaSmi },
  'amd-smi': { args: amdSmiMemoryArgs, parse: (s) => parseAmdSmiMemory(s) },
  'rocm-smi': { args: rocmSmiArgs, parse: parseRocmSmi },
};

export const DEFAULT_READ_TIMEOUT_MS = 2000;

export type QueryResult = { ok: true; readings: GpuReading[] } | { ok: false; reason: string };

/** Runs one tool once and parses what it printed. A tool that is missing, times out, exits
 * non-zero or prints no GPU is a failure with a reason a person can act on — nvidia-smi, for
 * one, prints "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver" and
 * exits 9 on a machine whose driver is gone. */
export async function queryGpus(exec: Exec, tool: GpuTool, opts: { gpuIndex?: number; timeoutMs?: number } = {}): Promise<QueryResult> {
  const q = QUERIES[tool];
  const r = await exec(tool, q.args(opts.gpuIndex), { timeoutMs: opts.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS });
  const failed = failureReason(r);
  if (failed) return { ok: false, reason: failed };
  const readings = q.parse(r.stdout);
  if (readings.length === 0) {
    const said = firstLine(r.stdout) || firstLine(r.stderr);
    return { ok: false, reason: said ? `reported no GPUs: ${said}` : 'reported no GPUs' };
  }
  return { ok: true, readings };
}

/** Why an exec result is not usable output, or null when it is. */
export function failureReason(r: ExecResult): string | null {
  if (r.error) return r.error;
  if (r.code !== 0) {
    const said = firstLine(r.stderr) || firstLine(r.stdout);
    return said ? `exited ${r.code}: ${said}` : `exited ${r.code}`;
  }
  return null;
}

export interface MemoryReading { vramUsedGiB: number; vramTotalGiB: number }

/** One reading of one GPU's memory, e.g. for a before/after figure around a run. Fails (with the
 * reason) when the tool fails, the GPU is not in its output, or the GPU reports no memory figures. */
export async function readGpuMemory(
  exec: Exec,
  tool: GpuTool,
  gpuIndex: number,
  opts: { timeoutMs?: number } = {},
): Promise<{ ok: true; memory: MemoryReading } | { ok: false; reason: string }> {
  const q = await queryGpus(exec, tool, { gpuIndex, timeoutMs: opts.timeoutMs });
  if (!q.ok) return q;
  const gpu = q.readings.find((g) => g.index === gpuIndex);
  if (!gpu) return { ok: false, reason: `GPU ${gpuIndex} is not in ${tool}'s output` };
  if (gpu.vramUsedGiB === null || gpu.vramTotalGiB === null) return { ok: false, reason: `${tool} does not report memory for GPU ${gpuIndex}` };
  return { ok: true, memory: { vramUsedGiB: gpu.vramUsedGiB, vramTotalGiB: gpu.vramTotalGiB } };
}
