import { reading, toGiB, parseNumber, type GpuReading } from './readings.js';

/** The query every nvidia-smi call here makes; the parser below depends on this field order. */
export const NVIDIA_SMI_FIELDS = ['index', 'name', 'memory.used', 'memory.total', 'utilization.gpu', 'power.draw', 'temperature.gpu'] as const;

export function nvidiaSmiArgs(gpuIndex?: number): string[] {
  const args = [`--query-gpu=${NVIDIA_SMI_FIELDS.join(',')}`, '--format=csv,noheader,nounits'];
  return gpuIndex === undefined ? args : [...args, '-i', String(gpuIndex)];
}

/** Parses `nvidia-smi --query-gpu=… --format=csv,noheader,nounits`: one line per GPU,
 * `0, NVIDIA H200, 1234, 143771, 0, 75.23, 32` (memory in MiB). Fields the GPU does not report
 * read `[N/A]` or `[Not Supported]` and come back undefined (memory: null). Lines that are not a
 * GPU row — a header, "No devices were found", a driver error — are skipped, so garbage gives []. */
export function parseNvidiaSmi(text: string): GpuReading[] {
  const out: GpuReading[] = [];
  for (const line of text.split(/\r?\n/)) {
    const row = parseRow(line);
    if (row) out.push(row);
  }
  return out;
}

const NUMERIC_TAIL = NVIDIA_SMI_FIELDS.length - 2; // the five fields after the name

function parseRow(line: string): GpuReading | null {
  const fields = line.split(',').map((f) => f.trim());
  if (fields.length < NVIDIA_SMI_FIELDS.length) return null;
  if (!/^\d+$/.test(fields[0])) return null;
  // the name is whatever sits between the index and the five numbers, so a name with a comma
  // (none known, but nvidia-smi does not quote) does not shift the numbers
  const tail = fields.slice(fields.length - NUMERIC_TAIL);
  const name = fields.slice(1, fields.length - NUMERIC_TAIL).join(', ');
  const [used, total, util, power, temp] = tail;
  return reading({
    index: Number(fields[0]),
    name: name && !isNotReported(name) ? name : undefined,
    vramUsedGiB: toGiB(used, 'MiB'),
    vramTotalGiB: toGiB(total, 'MiB'),
    utilPct: parseNumber(util),
    powerW: parseNumber(power),
    tempC: parseNumber(temp),
  });
}

function isNotReported(field: string): boolean {
  return /^\[.*\]$/.test(field) || field === 'N/A';
}
