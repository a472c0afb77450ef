/** GPU telemetry: find the GPU and its vendor tool (detectGpu), read its memory once
 * (readGpuMemory) or throughout a run (startSampler). Everything takes an Exec, so callers pass
 * `realExec` and tests pass a fake; nothing here caches or keeps global state. */
export { createExec, realExec, type Exec, type ExecOptions, type ExecResult } from './exec.js';
export { detectGpu, describeDetection, DEFAULT_DETECT_TIMEOUT_MS, type DetectedGpu, type DetectOptions, type GpuDetection } from './detect-gpu.js';
export { queryGpus, readGpuMemory, DEFAULT_READ_TIMEOUT_MS, type MemoryReading, type QueryResult } from './read-gpus.js';
export { startSampler, type Sampler, type SamplerOptions } from './sampler.js';
export { parseNvidiaSmi, nvidiaSmiArgs, NVIDIA_SMI_FIELDS } from './parse-nvidia-smi.js';
export { parseRocmSmi, parseRocmSmiJson, parseRocmSmiText, rocmSmiArgs } from './parse-rocm-smi.js';
export { parseAmdSmiMemory, parseAmdSmiNames, amdSmiMemoryArgs, AMD_SMI_NAME_ARGS } from './parse-amd-smi.js';
export { GPU_TOOLS, VENDOR_OF, type GpuReading, type GpuTool, type GpuVendor } from './readings.js';
