/** Published memory sizes and model shapes the arithmetic needs when a log does not print them.
 * Sources: vendor data sheets (usable memory as the driver reports it, in GiB) and each model's
 * config.json on the Hugging Face Hub (layers, KV heads, head dim). */

const GPUS: [RegExp, number, string][] = [
  [/mi300x/i, 191.69, 'AMD Instinct MI300X (rocm-smi: 205,822,885,888 B)'],
  [/mi325x/i, 255.98, 'AMD Instinct MI325X'],
  [/mi250x?|mi210/i, 63.98, 'AMD Instinct MI250/MI210 (per GCD)'],
  [/h200/i, 139.8, 'NVIDIA H200'],
  [/h100/i, 79.1, 'NVIDIA H100 80GB'],
  [/a100.{0,12}40/i, 39.4, 'NVIDIA A100 40GB'],
  [/a100/i, 79.1, 'NVIDIA A100 80GB'],
  [/l40s?/i, 44.4, 'NVIDIA L40/L40S'],
  [/a10g?\b/i, 22.0, 'NVIDIA A10/A10G'],
  [/l4\b/i, 22.0, 'NVIDIA L4'],
  [/(?:rtx\s*)?(?:3090|4090)/i, 23.6, 'NVIDIA RTX 3090/4090'],
  [/t4\b/i, 14.76, 'NVIDIA T4'],
  [/v100.{0,12}32/i, 31.7, 'NVIDIA V100 32GB'],
  [/v100/i, 15.8, 'NVIDIA V100 16GB'],
  [/7900\s*xtx/i, 23.98, 'AMD Radeon RX 7900 XTX'],
];

export function gpuMemoryGiB(name: unknown): { gib: number; source: string } | undefined {
  if (typeof name !== 'string') return undefined;
  for (const [re, gib, source] of GPUS) if (re.test(name)) return { gib, source };
  return undefined;
}

interface ModelShape { layers: number; kvHeads: number; headDim: number; maxPositions: number }

const MODELS: [RegExp, ModelShape][] = [
  [/qwen2\.5-7b/i, { layers: 28, kvHeads: 4, headDim: 128, maxPositions: 32768 }],
  [/qwen2\.5-(?:14b)/i, { layers: 48, kvHeads: 8, headDim: 128, maxPositions: 32768 }],
  [/qwen2\.5-(?:32b)/i, { layers: 64, kvHeads: 8, headDim: 128, maxPositions: 32768 }],
  [/qwen2\.5-(?:72b)/i, { layers: 80, kvHeads: 8, headDim: 128, maxPositions: 32768 }],
  [/llama-3(?:\.\d)?-8b|meta-llama-3-8b/i, { layers: 32, kvHeads: 8, headDim: 128, maxPositions: 131072 }],
  [/llama-3(?:\.\d)?-70b|meta-llama-3-70b/i, { layers: 80, kvHeads: 8, headDim: 128, maxPositions: 131072 }],
  [/llama-2-7b/i, { layers: 32, kvHeads: 32, headDim: 128, maxPositions: 4096 }],
  [/mistral-7b/i, { layers: 32, kvHeads: 8, headDim: 128, maxPositions: 32768 }],
];

/** Bytes of KV cache one token takes: layers x KV heads x head dim x 2 (K and V) x dtype bytes. */
export function kvBytesPerToken(model: unknown, dtypeBytes = 2): { bytes: number; shape: ModelShape } | undefined {
  if (typeof model !== 'string') return undefined;
  for (const [re, shape] of MODELS) {
    if (re.test(model)) return { bytes: shape.layers * shape.kvHeads * shape.headDim * 2 * dtypeBytes, shape };
  }
  return undefined;
}

export function modelShape(model: unknown): ModelShape | undefined {
  return kvBytesPerToken(model)?.shape;
}
