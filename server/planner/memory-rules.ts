import type { FixChange } from '../diagnosis/types.js';
import { fmt, num, type PlanRule } from './types.js';

/** Fraction of the card the new batch may plan to use: the OOM message shows one allocation,
 * not the whole peak, so we keep a margin. */
const SAFETY = 0.9;

const largestDivisorAtMost = (n: number, cap: number): number => {
  for (let d = Math.max(1, Math.floor(cap)); d > 1; d--) if (n % d === 0) return d;
  return 1;
};

/** batch_too_large_runtime: the largest batch that fits by the allocation arithmetic, with
 * gradient accumulation keeping the effective batch. */
export const batchFit: PlanRule = (ctx) => {
  const f = ctx.facts;
  const v = ctx.config.values;
  // a process capped with set_per_process_memory_fraction may use its cap ("8.00 GiB allowed;"),
  // not the card: then what it needed is its own use, whatever else the card holds
  const allowed = num(f.gpu_allowed_gib);
  const capacity = allowed ?? num(f.gpu_capacity_gib) ?? num(f.device_limit_gib) ?? num(f.gpu_total_gib) ?? num(v.gpu_mem_gib) ?? num(v.gpu_total_gib);
  const allocated = num(f.gpu_allocated_gib) ?? num(f.currently_allocated_gib);
  const tried = num(f.tried_alloc_gib);
  const free = num(f.gpu_free_gib);
  // what the step needed: everything in use (PyTorch's and the rest: CUDA context, other
  // processes) plus the failed request; at least what PyTorch had allocated plus the request
  // (capped, without the per-process figure: what PyTorch holds, allocated + reserved, is what
  // the cap counts)
  const reserved = allocated !== undefined ? allocated + (num(f.gpu_reserved_unallocated_gib) ?? 0) : undefined;
  const inUse = allowed !== undefined ? num(f.process_in_use_gib) ?? reserved
    : capacity !== undefined && free !== undefined ? capacity - free : allocated;
  const demand = inUse !== undefined && tried !== undefined ? Math.max(inUse, allocated ?? 0) + tried : undefined;
  const used = demand !== undefined && tried !== undefined ? demand - tried : undefined;

  // vLLM's sampler warm-up or TGI's prefill budget: the knob is a count of sequences or tokens.
  const seqs = num(f.max_num_seqs) ?? num(v.max_num_seqs);
  if (seqs && /max_num_seqs|dummy requests|sampler/i.test(ctx.text)) {
    const to = demand && capacity ? Math.max(1, Math.floor(seqs * (capacity * SAFETY) / demand)) : Math.max(1, Math.floor(seqs / 2));
    return {
      rootCause: `vLLM ran out of GPU memory warming up the sampler with ${seqs} dummy sequences (max_num_seqs).`,
      summary: `Lower max_num_seqs from ${seqs} to ${to}.`,
      changes: [{ param: 'max_num_seqs', from: seqs, to, why: demand && capacity ? `${seqs} x (${fmt(capacity)} GiB x ${SAFETY}) / ${fmt(demand)} GiB needed = ${to}` : `no memory figures in the log: halve (${seqs} / 2 = ${to}) and re-run; the warm-up allocates per sequence` }],
    };
  }
  const prefill = num(v.max_batch_prefill_tokens) ?? num(f.max_batch_prefill_tokens);
  if (/warmup|prefill|Allocation on device/i.test(ctx.text) && !num(v.batch_size)) {
    const from = prefill ?? null;
    const ratio = demand && capacity ? Math.min(1, (capacity * SAFETY - (used ?? 0)) / (tried ?? 1)) : 0.5;
    const to = from ? Math.max(1, Math.floor(from * ratio)) : `${Math.round(ratio * 100)}% of the current value`;
    return {
      rootCause: `The server's warm-up allocates a full prefill batch and it does not fit: ${demand ? `${fmt(used!)} GiB in use + ${fmt(tried!)} GiB requested > ${fmt(capacity ?? 0)} GiB` : 'out of memory during warm-up'}.`,
      summary: 'Lower the prefill/batch token budget (max_batch_prefill_tokens, max_batch_total_tokens).',
      changes: [{ param: 'max_batch_prefill_tokens', from, to, why: demand && capacity ? `room for the request: ${fmt(capacity)} x ${SAFETY} - ${fmt(used!)} = ${fmt(capacity * SAFETY - used!)} GiB of the ${fmt(tried!)} GiB requested → x${ratio.toFixed(2)}` : 'no memory figures in the log: halve and re-run' }],
    };
  }

  const batch = num(v.batch_size) ?? num(f.batch_size);
  if (!batch) {
    const ratio = demand && capacity ? (capacity * SAFETY) / demand : 0.5;
    return {
      rootCause: demand && capacity
        ? `A step needed ${fmt(used!)} GiB in use + ${fmt(tried!)} GiB more on a ${fmt(capacity)} GiB GPU: the batch does not fit.`
        : 'The GPU ran out of memory during a step: the batch (or sequence length) does not fit.',
      summary: 'Lower the batch size and keep the effective batch with gradient accumulation.',
      changes: [{ param: 'batch_size', from: null, to: `x${Math.min(ratio, 0.5).toFixed(2)} of the current batch size`, why: demand && capacity ? `${fmt(capacity)} GiB x ${SAFETY} / (${fmt(used!)} + ${fmt(tried!)}) GiB = ${ratio.toFixed(2)}; the batch size is not in the log or config, so the new value is a fraction of it` : 'the batch size and memory figures are not in the log or config: halve it and re-run' }],
    };
  }
  const fits = demand && capacity ? Math.floor(batch * (capacity * SAFETY) / demand) : Math.floor(batch / 2);
  const to = largestDivisorAtMost(batch, Math.min(fits, batch - 1));
  const accumNow = num(v.gradient_accumulation_steps) ?? num(v.accumulate) ?? 1;
  const accum = (batch / to) * accumNow;
  const accumKey = v.accumulate !== undefined ? 'accumulate' : 'gradient_accumulation_steps';
  return {
    rootCause: demand && capacity
      ? `At batch ${batch} a step needs at least ${fmt(demand)} GiB (${fmt(used!)} in use + ${fmt(tried!)} requested) on a ${fmt(capacity)} GiB GPU.`
      : `The GPU ran out of memory at batch ${batch}.`,
    summary: `Batch ${batch} → ${to} with gradient accumulation ${accumNow} → ${accum}: the effective batch stays ${batch * accumNow}.`,
    changes: [
      { param: 'batch_size', from: batch, to, why: demand && capacity ? `memory grows with the batch: ${batch} x (${fmt(capacity)} GiB x ${SAFETY}) / ${fmt(demand)} GiB = ${(batch * capacity * SAFETY / demand).toFixed(1)}; largest divisor of ${batch} at or below that: ${to}` : `no memory figures in the log: halve (largest divisor of ${batch} ≤ ${fits}: ${to})` },
      { param: accumKey, from: accumNow, to: accum, why: `${batch} x ${accumNow} / ${to} = ${accum}, so the effective batch is unchanged` },
    ],
  };
};

/** model_too_large: the weights do not fit; shard or quantize, computed from the figures. */
export const modelFit: PlanRule = (ctx) => {
  const f = ctx.facts;
  const v = ctx.config.values;
  const capacity = num(f.gpu_capacity_gib) ?? num(f.gpu_total_gib) ?? num(v.gpu_mem_gib) ?? num(v.gpu_total_gib);
  const weights = num(f.model_weights_gib) ?? num(v.model_gib);
  const isVllm = ctx.config.command?.includes('vllm') || v.tensor_parallel_size !== undefined || ctx.pattern.stacks.includes('vllm') && /vllm/i.test(ctx.text);
  if (isVllm) {
    const tp = num(v.tensor_parallel_size) ?? 1;
    const need = weights && capacity ? 2 ** Math.ceil(Math.log2(Math.ceil(weights / (capacity * 0.8)))) : tp * 2;
    return {
      summary: `Shard the weights over ${Math.max(need, tp * 2)} GPUs (tensor_parallel_size) or load a quantized checkpoint.`,
      changes: [{ param: 'tensor_parallel_size', from: tp, to: Math.max(need, tp * 2), why: weights && capacity ? `${fmt(weights)} GiB of weights / (${fmt(capacity)} GiB x 0.8 per GPU) → ${need} GPUs (power of two)` : 'the weights do not fit on one GPU: at least twice the GPUs' }],
    };
  }
  if (v.gpu_split !== undefined) {
    return {
      summary: 'Split the layers manually across the GPUs instead of the automatic split.',
      changes: [{ param: 'gpu_split', from: String(v.gpu_split), to: 'per-GPU GiB list leaving ~1-2 GiB free on each card', why: 'the automatic split filled one card while loading; a manual split with headroom keeps every card below its capacity' }],
    };
  }
  const model = typeof v.model === 'string' ? v.model : undefined;
  const params = model ? Number(/(\d+(?:\.\d+)?)\s*[bB]\b/.exec(model.replace(/[-_]/g, ' '))?.[1]) : NaN;
  const changes: FixChange[] = [];
  if (model) {
    const sizes = Number.isFinite(params) ? `: ${params}B parameters x 2 bytes = ${fmt(params * 2 * 1e9 / 2 ** 30)} GiB in bf16, x 0.5 bytes = ${fmt(params * 0.5 * 1e9 / 2 ** 30)} GiB in 4-bit` : ': 4-bit weights take about a quarter of the bf16 memory';
    changes.push({ param: 'model', from: model, to: `a 4-bit quantized ${model} (AWQ, GPTQ or Int4 checkpoint)`, why: `the bf16 weights do not fit${capacity ? ` in ${fmt(capacity)} GiB` : ''}${sizes}` });
  }
  changes.push({ param: 'device_map', from: (v.device_map as string) ?? null, to: 'auto', why: capacity ? `the weights exceed the ${fmt(capacity)} GiB card; device_map="auto" spreads layers over GPUs and CPU` : 'the weights exceed the card; device_map="auto" spreads layers over GPUs and CPU' });
  return {
    summary: 'Load the model quantized (4-bit), or across devices (device_map="auto"), instead of whole onto one GPU.',
    changes,
    risks: ['Layers offloaded to the CPU run much slower; quantization costs some accuracy.'],
  };
};
