/** The numbers the vLLM start-up simulator computes with, and where each comes from. Published
 * figures are from the original ReplayLab's runs on an AMD Instinct MI300X (ROCm 7.2.0,
 * vLLM 0.17.1): see the project's README. Figures that are not published are marked "assumed"
 * or "computed" with the reason. */

export const GIB = 2 ** 30;
export const KIB = 1024;

export interface GpuFigures { name: string; bytes: number; amd: boolean }

/** rocm-smi "VRAM Total Memory (B)" on the MI300X: 205,822,885,888 B = exactly 191.6875 GiB. */
export const MI300X: GpuFigures = { name: 'AMD Instinct MI300X', bytes: 205_822_885_888, amd: true };

export function findGpu(name: string): GpuFigures | undefined {
  return /mi300x/i.test(name) ? MI300X : undefined;
}

/** Memory that rocm-smi shows beyond vLLM's budget once the server runs (HIP runtime, graph
 * pools): during the published benchmark at utilisation 0.9, VRAM used was 187,005,718,528 B =
 * 174.16 GiB against a budget of 0.9 x 191.6875 = 172.52 GiB. */
export const OUTSIDE_BUDGET_GIB = 187_005_718_528 / GIB - 0.9 * (MI300X.bytes / GIB);

export interface ModelFigures {
  id: string;
  architecture: string;
  /** "Model loading took X GiB" */
  weightsGib: number;
  layers: number;
  kvHeads: number;
  headDim: number;
  /** max_position_embeddings in config.json: vLLM's derived max_model_len */
  maxPositions: number;
  shards: number;
  /** activation peak + non-torch memory measured by vLLM's profiling run */
  profileOverheadGib: number;
  loadColdS: number;
  loadWarmS: number;
  compileColdS: number;
  compileWarmS: number;
  /** decode speed of one stream */
  tokensPerSPerStream: number;
  source: string;
}

/** Qwen2.5-7B-Instruct is the measured model. The profiling overhead is the published ~2.83 GiB:
 * with it, utilisation 0.9 leaves 155.34 GiB (published 155.31) and 0.08 leaves -1.84 GiB
 * (published -1.84); the two published runs differ by ~0.03 GiB, so no single figure hits both. */
const QWEN_7B: ModelFigures = {
  id: 'Qwen/Qwen2.5-7B-Instruct', architecture: 'Qwen2ForCausalLM', weightsGib: 14.35,
  layers: 28, kvHeads: 4, headDim: 128, maxPositions: 32768, shards: 4, profileOverheadGib: 2.83,
  loadColdS: 8.42, loadWarmS: 2.58, compileColdS: 16.28, compileWarmS: 5.95, tokensPerSPerStream: 227,
  source: 'published MI300X measurements',
};

/** The other models have no MI300X measurements here: weights are computed from the parameter
 * count in bf16, the shapes come from config.json, and load time, compile time, overhead and
 * speed are scaled from Qwen2.5-7B by weight size (decode is memory-bound), i.e. assumed. */
function scaled(id: string, architecture: string, params: number, shape: Pick<ModelFigures, 'layers' | 'kvHeads' | 'headDim' | 'maxPositions' | 'shards'>): ModelFigures {
  const weightsGib = Number(((params * 2) / GIB).toFixed(2));
  const k = weightsGib / QWEN_7B.weightsGib;
  const r = (x: number) => Number(x.toFixed(2));
  return {
    id, architecture, weightsGib, ...shape, profileOverheadGib: QWEN_7B.profileOverheadGib,
    loadColdS: r(QWEN_7B.loadColdS * k), loadWarmS: r(QWEN_7B.loadWarmS * k),
    compileColdS: QWEN_7B.compileColdS, compileWarmS: QWEN_7B.compileWarmS,
    tokensPerSPerStream: Math.round(QWEN_7B.tokensPerSPerStream / k),
    source: 'computed from the parameter count and config.json; times and speed scaled from Qwen2.5-7B (assumed)',
  };
}

export const MODELS: ModelFigures[] = [
  QWEN_7B,
  scaled('Qwen/Qwen2.5-14B-Instruct', 'Qwen2ForCausalLM', 14.77e9, { layers: 48, kvHeads: 8, headDim: 128, maxPositions: 32768, shards: 8 }),
  scaled('meta-llama/Llama-3.1-8B-Instruct', 'LlamaForCausalLM', 8.03e9, { layers: 32, kvHeads: 8, headDim: 128, maxPositions: 131072, shards: 4 }),
];

export function findModel(id: string): ModelFigures | undefined {
  return MODELS.find((m) => m.id.toLowerCase() === id.toLowerCase());
}

/** KV cache bytes per token: layers x KV heads x head dim x 2 (K and V) x 2 bytes (bf16).
 * Qwen2.5-7B: 28 x 4 x 128 x 2 x 2 = 57,344 B = 56 KiB. */
export const kvBytesPerToken = (m: ModelFigures): number => m.layers * m.kvHeads * m.headDim * 2 * 2;

/** The vLLM version the log lines imitate (the one the published captures came from). */
export const VLLM_VERSION = '0.17.1';
