import { COMMON_FLAGS, commas, numFlag, parseFlags, provenanceLine, pyFloat, round, runOptions, strFlag, Timeline, usageFailure, UsageError, type RunOptions, type SimResult } from './common.js';
import { engineStartupFailed, maxModelLenError, noCacheMemoryError, notEnoughForOneSequenceError, utilizationRangeError } from './vllm-errors.js';
import { findGpu, findModel, GIB, kvBytesPerToken, MI300X, MODELS, OUTSIDE_BUDGET_GIB, VLLM_VERSION } from './vllm-figures.js';

export interface VllmParams {
  model: string;
  /** undefined: vLLM uses the derived maximum */
  maxModelLen?: number;
  gpuMemoryUtilization: number;
  /** a known card name, or any label when gpuMemoryGib is given */
  gpu: string;
  gpuMemoryGib?: number;
  blockSize: number;
  benchmarkPrompts: number;
  maxTokens: number;
  /** warm compile/page caches: the published 2.58 s load and 5.95 s compile instead of 8.42 s / 16.28 s */
  warm: boolean;
  port: number;
  pid: number;
  startedAt: Date;
}

export interface VllmMetrics {
  started: boolean;
  error: 'max_model_len_above_derived' | 'invalid_gpu_memory_utilization' | 'no_cache_memory' | 'kv_cache_too_small' | 'usage' | null;
  kv_cache_tokens: number;
  kv_cache_gib: number | null;
  max_model_len: number;
  gpu_memory_utilization: number;
  tokens_per_s: number;
  prompts_done: number;
  peak_memory_gib: number;
  simulated: true;
}

export const VLLM_PROVENANCE = provenanceLine('vllm-startup', 'figures from published AMD MI300X measurements');
const VLLM_USAGE = 'vllm serve [--max-model-len N] [--gpu-memory-utilization U] [--gpu MI300X] [--gpu-memory-gib G] [--block-size 16] [--benchmark-prompts 4] [--max-tokens 256] [--port 8000] [--warm] [--time-scale S] [--telemetry FILE] MODEL';

export const VLLM_DEFAULTS = { gpuMemoryUtilization: 0.9, gpu: 'MI300X', blockSize: 16, benchmarkPrompts: 4, maxTokens: 256, port: 8000 };

const vllmUsageFailure = (e: UsageError) => usageFailure<VllmMetrics>(VLLM_PROVENANCE, VLLM_USAGE, 'vllm serve', e, {
  started: false, error: 'usage', kv_cache_tokens: 0, kv_cache_gib: null, max_model_len: 0, gpu_memory_utilization: 0,
  tokens_per_s: 0, prompts_done: 0, peak_memory_gib: 0, simulated: true,
});

/** Two-digit fields in UTC, so a run reads the same on every machine. */
const stamp = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
};

export function simulateVllmStartup(input: Partial<VllmParams> & { model: string }): SimResult<VllmMetrics> {
  const p: VllmParams = { ...VLLM_DEFAULTS, warm: false, pid: 961, startedAt: new Date(Date.UTC(2026, 4, 7, 3, 20, 29)), ...input };
  const model = findModel(p.model);
  const gpu = p.gpuMemoryGib !== undefined ? { name: p.gpu, bytes: p.gpuMemoryGib * GIB, amd: /mi\d{3}|radeon|instinct/i.test(p.gpu) } : findGpu(p.gpu);
  const totalGib = (gpu?.bytes ?? MI300X.bytes) / GIB;
  if (!model) return vllmUsageFailure(new UsageError(`the simulator has no figures for model '${p.model}' (it knows ${MODELS.map((m) => m.id).join(', ')})`));
  if (!gpu) return vllmUsageFailure(new UsageError(`unknown GPU '${p.gpu}': use MI300X or give --gpu-memory-gib`));

  const t = new Timeline(totalGib);
  const enginePid = p.pid + 73;
  const log = (who: 'api' | 'engine', level: 'INFO' | 'ERROR', where: string, msg: string) =>
    t.err(`(${who === 'api' ? `APIServer pid=${p.pid}` : `EngineCore_DP0 pid=${enginePid}`}) ${level} ${stamp(new Date(p.startedAt.getTime() + t.ms))} [${where}] ${msg}`);
  const bare = (who: 'api' | 'engine', lines: string[]) => t.err(...lines.map((l) => `(${who === 'api' ? `APIServer pid=${p.pid}` : `EngineCore_DP0 pid=${enginePid}`}) ${l}`));
  const maxLen = p.maxModelLen ?? model.maxPositions;
  const metrics: VllmMetrics = {
    started: false, error: null, kv_cache_tokens: 0, kv_cache_gib: null, max_model_len: maxLen,
    gpu_memory_utilization: p.gpuMemoryUtilization, tokens_per_s: 0, prompts_done: 0, peak_memory_gib: 0, simulated: true,
  };
  const fail = (error: VllmMetrics['error']) => {
    metrics.error = error;
    metrics.peak_memory_gib = Math.max(0, ...t.telemetry.map((s) => s.vram_used_gib));
    return t.finish(1, metrics);
  };

  // 1. the API server parses the arguments and validates the config (no GPU memory used yet)
  t.err(VLLM_PROVENANCE).sample(0);
  const args: string[] = [];
  if (p.port !== 8000) args.push(`'port': ${p.port}`);
  args.push(`'model': '${model.id}'`);
  if (p.maxModelLen !== undefined) args.push(`'max_model_len': ${p.maxModelLen}`);
  if (p.blockSize !== 16) args.push(`'block_size': ${p.blockSize}`);
  if (p.gpuMemoryUtilization !== 0.9) args.push(`'gpu_memory_utilization': ${pyFloat(p.gpuMemoryUtilization)}`);
  log('api', 'INFO', 'utils.py:238', `non-default args: {${args.join(', ')}}`);
  t.wait(0.9);
  log('api', 'INFO', 'model.py:531', `Resolved architecture: ${model.architecture}`);
  if (maxLen > model.maxPositions) {
    bare('api', maxModelLenError(maxLen, model.maxPositions, model.id));
    return fail('max_model_len_above_derived');
  }
  if (p.gpuMemoryUtilization <= 0 || p.gpuMemoryUtilization > 1) {
    bare('api', utilizationRangeError(p.gpuMemoryUtilization, pyFloat(p.gpuMemoryUtilization)));
    return fail('invalid_gpu_memory_utilization');
  }
  log('api', 'INFO', 'model.py:1554', `Using max model len ${maxLen}`);

  // 2. the engine process starts and loads the weights
  t.wait(6);
  log('engine', 'INFO', 'core.py:101', `Initializing a V1 LLM engine (v${VLLM_VERSION}) with config: model='${model.id}', dtype=torch.bfloat16, max_seq_len=${maxLen}, gpu_memory_utilization=${pyFloat(p.gpuMemoryUtilization)}`);
  t.wait(1);
  log('engine', 'INFO', 'parallel_state.py:1393', 'world_size=1 rank=0 local_rank=0');
  log('engine', 'INFO', 'gpu_model_runner.py:4281', `Starting to load model ${model.id}...`);
  if (gpu.amd) log('engine', 'INFO', 'rocm.py:463', 'Using Triton Attention backend.');
  const loadS = p.warm ? model.loadWarmS : model.loadColdS;
  const weightsS = loadS * 0.91; // the published capture: weights took 5.46 s of a 5.98 s model load
  t.ramp(0, model.weightsGib, weightsS);
  t.err(`Loading safetensors checkpoint shards: 100% Completed | ${model.shards}/${model.shards} [00:${String(Math.round(weightsS)).padStart(2, '0')}<00:00, ${(weightsS / model.shards).toFixed(2)}s/it]`);
  log('engine', 'INFO', 'default_loader.py:293', `Loading weights took ${weightsS.toFixed(2)} seconds`);
  t.wait(loadS - weightsS);
  log('engine', 'INFO', 'gpu_model_runner.py:4364', `Model loading took ${model.weightsGib.toFixed(2)} GiB memory and ${loadS.toFixed(6)} seconds`);

  // 3. compile, then the profiling run: its peak plus the weights is what the KV cache cannot use
  const compileS = p.warm ? model.compileWarmS : model.compileColdS;
  t.wait(compileS);
  log('engine', 'INFO', 'monitor.py:34', `torch.compile takes ${compileS.toFixed(2)} s in total`);
  const nonKvGib = model.weightsGib + model.profileOverheadGib;
  t.ramp(model.weightsGib, nonKvGib, 2, 2);
  const total = gpu.bytes;
  const availableBytes = p.gpuMemoryUtilization * total - nonKvGib * GIB;
  const availableGib = availableBytes / GIB;
  metrics.kv_cache_gib = round(availableGib, 2);
  log('engine', 'INFO', 'gpu_worker.py:424', `Available KV cache memory: ${availableGib.toFixed(2)} GiB`);

  const engineError = (lines: string[], error: VllmMetrics['error']) => {
    log('engine', 'ERROR', 'core.py:1100', 'EngineCore failed to start.');
    for (const line of lines) log('engine', 'ERROR', 'core.py:1100', line);
    t.wait(0.5).sample(0); // the engine process exits and its memory is freed
    bare('api', engineStartupFailed());
    return fail(error);
  };
  if (availableBytes <= 0) return engineError(noCacheMemoryError(), 'no_cache_memory');

  // 4. the KV cache in blocks of block_size tokens; one max_model_len sequence must fit
  const perToken = kvBytesPerToken(model);
  const perBlock = p.blockSize * perToken;
  const blocks = Math.floor(availableBytes / perBlock);
  const tokens = blocks * p.blockSize;
  const neededBytes = Math.ceil(maxLen / p.blockSize) * perBlock;
  if (neededBytes > availableBytes) {
    return engineError(notEnoughForOneSequenceError(maxLen, neededBytes / GIB, availableGib, tokens), 'kv_cache_too_small');
  }
  metrics.kv_cache_tokens = tokens;
  const budgetGib = p.gpuMemoryUtilization * totalGib;
  t.ramp(nonKvGib, budgetGib, 1, 2);
  log('engine', 'INFO', 'kv_cache_utils.py:1087', `GPU KV cache size: ${commas(tokens)} tokens`);
  log('engine', 'INFO', 'kv_cache_utils.py:1091', `Maximum concurrency for ${commas(maxLen)} tokens per request: ${(tokens / maxLen).toFixed(2)}x`);
  const steadyGib = Math.min(totalGib, budgetGib + OUTSIDE_BUDGET_GIB);
  t.ramp(budgetGib, steadyGib, 1, 1);
  log('engine', 'INFO', 'core.py:210', `init engine (profile, create kv cache, warmup model) took ${(compileS + 4).toFixed(2)} seconds`);

  // 5. the server is up
  t.wait(0.5);
  log('api', 'INFO', 'api_server.py:1874', `Starting vLLM API server 0 on http://0.0.0.0:${p.port}`);
  bare('api', [`INFO:     Started server process [${p.pid}]`, 'INFO:     Waiting for application startup.', 'INFO:     Application startup complete.']);
  metrics.started = true;

  // 6. a short benchmark, one request at a time at the published per-stream speed
  const perRequestS = p.maxTokens / model.tokensPerSPerStream;
  for (let i = 1; i <= p.benchmarkPrompts; i++) {
    t.wait(perRequestS).sample(steadyGib);
    bare('api', [`INFO:     127.0.0.1:${41230 + i} - "POST /v1/completions HTTP/1.1" 200 OK`]);
    t.out(`request ${i}/${p.benchmarkPrompts}: ${p.maxTokens} completion tokens in ${perRequestS.toFixed(3)} s (${model.tokensPerSPerStream.toFixed(1)} tokens/s)`);
  }
  metrics.prompts_done = p.benchmarkPrompts;
  metrics.tokens_per_s = p.benchmarkPrompts > 0 ? round((p.benchmarkPrompts * p.maxTokens) / (p.benchmarkPrompts * perRequestS), 1) : 0;
  metrics.peak_memory_gib = Math.max(...t.telemetry.map((s) => s.vram_used_gib));
  t.out(JSON.stringify(metrics));
  bare('api', ['INFO:     Shutting down', 'INFO:     Application shutdown complete.']);
  return t.wait(0.2).sample(0).finish(0, metrics);
}

const FLAGS = {
  ...COMMON_FLAGS, model: 'value', 'max-model-len': 'value', 'gpu-memory-utilization': 'value', gpu: 'value', 'gpu-memory-gib': 'value',
  'block-size': 'value', 'benchmark-prompts': 'value', 'max-tokens': 'value', port: 'value', warm: 'bool',
} as const;

/** `[serve] MODEL --max-model-len N ...` as `vllm serve` takes it; a bad command line is exit 2. */
export function vllmStartupFromArgv(argv: string[], env: { pid?: number; startedAt?: Date } = {}): { result: SimResult<VllmMetrics>; options: RunOptions } {
  try {
    const f = parseFlags(argv, FLAGS);
    const positionals = f.positionals[0] === 'serve' ? f.positionals.slice(1) : f.positionals;
    const model = strFlag(f, 'model') ?? positionals[0];
    if (!model) throw new UsageError('the following arguments are required: model_tag');
    if (positionals.length > (strFlag(f, 'model') ? 0 : 1)) throw new UsageError(`unrecognized arguments: ${positionals.slice(1).join(' ')}`);
    const result = simulateVllmStartup({
      model,
      maxModelLen: numFlag(f, 'max-model-len', undefined, { int: true, min: 1 }),
      gpuMemoryUtilization: numFlag(f, 'gpu-memory-utilization', VLLM_DEFAULTS.gpuMemoryUtilization),
      gpu: strFlag(f, 'gpu') ?? VLLM_DEFAULTS.gpu,
      gpuMemoryGib: numFlag(f, 'gpu-memory-gib', undefined, { min: 0, exclusiveMin: true }),
      blockSize: numFlag(f, 'block-size', VLLM_DEFAULTS.blockSize, { int: true, min: 1 }),
      benchmarkPrompts: numFlag(f, 'benchmark-prompts', VLLM_DEFAULTS.benchmarkPrompts, { int: true, min: 0 }),
      maxTokens: numFlag(f, 'max-tokens', VLLM_DEFAULTS.maxTokens, { int: true, min: 1 }),
      port: numFlag(f, 'port', VLLM_DEFAULTS.port, { int: true, min: 1, max: 65535 }),
      warm: f.values.get('warm') === true,
      ...(env.pid !== undefined ? { pid: env.pid } : {}),
      ...(env.startedAt ? { startedAt: env.startedAt } : {}),
    });
    return { result, options: runOptions(f) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return { result: vllmUsageFailure(e), options: { timeScale: 0 } };
  }
}
