import { gpuMemoryGiB, kvBytesPerToken } from './gpu-specs.js';
import { fmt, num, type PlanContext, type PlanResult, type PlanRule } from './types.js';

/** vLLM allocates the KV cache in blocks of this many tokens unless told otherwise. */
const DEFAULT_BLOCK = 16;
const GIB = 1024 ** 3;

function totalGpu(ctx: PlanContext): { gib: number; source: string } | undefined {
  const f = ctx.facts;
  const direct = num(f.gpu_total_gib) ?? num(f.gpu_capacity_gib) ?? num(ctx.config.values.gpu_total_gib) ?? num(ctx.config.values.gpu_mem_gib);
  if (direct) return { gib: direct, source: 'the log / config' };
  return gpuMemoryGiB(ctx.config.values.gpu) ?? gpuMemoryGiB(ctx.config.values.device) ?? gpuMemoryGiB(f.gpu_name);
}

/** context_length_exceeded: max_model_len down to the model's derived maximum. */
export const contextFit: PlanRule = (ctx) => {
  const f = ctx.facts;
  const requested = num(f.max_model_len) ?? num(ctx.config.values.max_model_len);
  const derived = num(f.derived_max_model_len) ?? num(f.model_max_context);
  const prompt = num(f.prompt_tokens);
  if (requested && derived && requested > derived) {
    return {
      rootCause: `max_model_len ${requested} is greater than the model's derived maximum ${derived} (max_position_embeddings): vLLM refuses to start rather than run positions the model was never trained on.`,
      summary: `Set max_model_len to the derived maximum, ${derived}.`,
      changes: [{ param: 'max_model_len', from: requested, to: derived, why: `derived max_model_len = max_position_embeddings = ${derived}; ${requested} > ${derived}, so the largest valid value is ${derived}` }],
      risks: [`Context shrinks from ${requested} to ${derived} tokens.`], // the unsafe override is the pattern's own risk
    };
  }
  const limit = derived ?? requested;
  if (prompt && limit && prompt > limit) {
    return {
      rootCause: `A request of ${prompt} tokens exceeds the server's maximum context of ${limit} tokens.`,
      summary: `Keep prompt + max_tokens within ${limit} tokens (truncate or chunk the input).`,
      changes: [{ param: 'prompt_tokens', from: prompt, to: limit, why: `the server's limit is ${limit}; ${prompt} - ${limit} = ${prompt - limit} tokens must go` }],
    };
  }
  return null;
};

/** kv_cache_oom: the smallest change that lets one full-length sequence fit in the KV cache. */
export const kvCacheFit: PlanRule = (ctx) => {
  const f = ctx.facts;
  const maxLen = num(f.max_model_len) ?? num(ctx.config.values.max_model_len);
  const block = num(ctx.config.values.block_size) ?? DEFAULT_BLOCK;
  const util = num(f.gpu_memory_utilization) ?? num(ctx.config.values.gpu_memory_utilization);
  const kvTokens = num(f.kv_cache_tokens) ?? num(f.estimated_max_model_len);
  const kvGib = num(f.kv_cache_gib);

  if (maxLen && kvTokens !== undefined && kvTokens > 0 && kvTokens < maxLen) {
    const to = Math.floor(kvTokens / block) * block;
    const out: PlanResult = {
      rootCause: `The KV cache holds ${kvTokens} tokens, fewer than one sequence of max_model_len ${maxLen} needs, so vLLM refuses to start.`,
      summary: `Lower max_model_len to ${to}, what the KV cache holds${util ? `, or raise gpu_memory_utilization above ${util}` : ''}.`,
      changes: [{ param: 'max_model_len', from: maxLen, to, why: `KV cache capacity ${kvTokens} tokens, rounded down to the block size ${block}: floor(${kvTokens} / ${block}) x ${block} = ${to}` }],
      risks: [`Context shrinks from ${maxLen} to ${to} tokens.`],
    };
    const total = totalGpu(ctx);
    if (util && total && kvGib && kvGib > 0) {
      const needGib = (kvGib / kvTokens) * maxLen;
      const newUtil = Math.ceil(((util * total.gib + (needGib - kvGib)) / total.gib) * 100) / 100;
      if (newUtil <= 0.98) out.risks!.push(`Alternative keeping ${maxLen}: gpu_memory_utilization ${util} → ${newUtil} (KV for ${maxLen} tokens = ${fmt(needGib)} GiB, ${fmt(needGib - kvGib)} GiB more than the ${fmt(kvGib)} GiB cache, on ${fmt(total.gib)} GiB).`);
    }
    return out;
  }

  // No cache memory at all: raise the utilisation just enough for weights + overhead + one sequence.
  const total = totalGpu(ctx);
  const model = ctx.config.values.model ?? f.model;
  const perToken = kvBytesPerToken(model);
  if (util !== undefined && kvGib !== undefined && kvGib <= 0) {
    const seqLen = maxLen ?? perToken?.shape.maxPositions;
    const seqGib = perToken && seqLen ? (perToken.bytes * seqLen) / GIB : undefined;
    if (total && seqGib !== undefined) {
      const used = util * total.gib - kvGib; // weights + activation peak + non-torch memory
      const exact = (used + seqGib) / total.gib;
      const to = Math.ceil(exact * 100) / 100;
      return {
        rootCause: `At gpu_memory_utilization ${util} vLLM may use ${fmt(util * total.gib)} GiB of ${fmt(total.gib)} GiB; after the weights and the profiling peak, ${fmt(kvGib)} GiB is left for the KV cache, so not one block fits.`,
        summary: `Raise gpu_memory_utilization from ${util} to ${to}: enough for one ${seqLen}-token sequence, and no more.`,
        changes: [{
          param: 'gpu_memory_utilization', from: util, to,
          why: `in use without cache: ${util} x ${fmt(total.gib)} GiB - (${fmt(kvGib)} GiB) = ${fmt(used)} GiB; one sequence: ${seqLen} tokens x ${perToken!.bytes / 1024} KiB = ${fmt(seqGib)} GiB; (${fmt(used)} + ${fmt(seqGib)}) / ${fmt(total.gib)} = ${exact.toFixed(4)} → ${to}`,
        }],
        risks: [`Only about one full-length sequence fits at ${to}; each 0.01 more adds ${fmt(total.gib / 100)} GiB (${Math.floor((total.gib / 100) * GIB / perToken!.bytes).toLocaleString('en-US')} tokens) of cache.`, `GPU memory source: ${total.source}.`],
        derived: { gpu_total_gib: total.gib, kv_bytes_per_token: perToken!.bytes, kv_one_sequence_gib: Number(seqGib.toFixed(2)) },
      };
    }
    return {
      rootCause: `After the weights and the profiling peak, ${fmt(kvGib)} GiB is left for the KV cache at gpu_memory_utilization ${util}.`,
      summary: 'Raise gpu_memory_utilization until the KV cache holds at least one full-length sequence.',
      changes: [{ param: 'gpu_memory_utilization', from: util, to: `> ${util} + (${fmt(-kvGib)} GiB + KV for one sequence) / total GPU memory`, why: 'the GPU\'s total memory or the model\'s KV size per token is not in the log or config, so the exact value cannot be computed; give the GPU name in the config to get it' }],
    };
  }
  return null;
};

/** engine_dead_after_warmup: the setting the log implicates. */
export const engineHeadroom: PlanRule = (ctx) => {
  const text = ctx.text;
  const util = num(ctx.facts.gpu_memory_utilization) ?? num(ctx.config.values.gpu_memory_utilization);
  if (/graph|capture/i.test(text) || /out of memory/i.test(text)) {
    const changes = [{ param: 'enforce_eager', from: ctx.config.values.enforce_eager === true, to: true, why: 'the engine died while capturing CUDA/HIP graphs; eager mode skips the capture and its memory pool' }];
    return {
      rootCause: 'The engine died during start-up while capturing CUDA graphs (the graph memory pool did not fit in what was left).',
      summary: 'Start with --enforce-eager (no graph capture), or leave more headroom with a lower gpu_memory_utilization.',
      changes,
      risks: ['Eager mode decodes more slowly (no CUDA graphs).', ...(util ? [`Alternative: gpu_memory_utilization ${util} → ${Math.round((util - 0.05) * 100) / 100} leaves 5% of the card for the graph pool.`] : [])],
    };
  }
  return null;
};
