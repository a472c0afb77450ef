import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import type { Diagnosis } from '../../server/diagnosis/types.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

// The fix is computed from the numbers in the evidence: each test states the arithmetic.
const tax = builtinTaxonomy();
const change = (d: Diagnosis, param: string) => d.fix?.changes.find((c) => c.param === param);

describe('fix planning', () => {
  it('context_length_exceeded: max_model_len down to the derived maximum, never the unsafe override', () => {
    const log = "pydantic_core._pydantic_core.ValidationError: 1 validation error for ModelConfig\n  Value error, User-specified max_model_len (131072) is greater than the derived max_model_len (max_position_embeddings=40960.0 or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1. VLLM_ALLOW_LONG_MAX_MODEL_LEN must be used with extreme caution.";
    const d = diagnoseText(tax, log, 'vllm serve Qwen/Qwen3-8B --max-model-len 131072 --port 8000');
    expect(d.category).toBe('context_length_exceeded');
    expect(change(d, 'max_model_len')).toMatchObject({ from: 131072, to: 40960 });
    expect(d.fix!.command).toBe('vllm serve Qwen/Qwen3-8B --max-model-len 40960 --port 8000');
    expect(JSON.stringify(d.fix!.env)).not.toContain('VLLM_ALLOW_LONG_MAX_MODEL_LEN');
    expect(d.fix!.risks!.join(' ')).toMatch(/VLLM_ALLOW_LONG_MAX_MODEL_LEN/);
  });

  it('kv_cache_oom with a token count: max_model_len to what the cache holds, rounded down to the block size', () => {
    const log = "ValueError: The model's max seq len (32768) is larger than the maximum number of tokens that can be stored in KV cache (20250). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.";
    const d = diagnoseText(tax, log, { max_model_len: 32768 });
    // floor(20250 / 16) x 16 = 20240
    expect(change(d, 'max_model_len')).toMatchObject({ from: 32768, to: 20240 });
  });

  it('kv_cache_oom with no cache memory: the smallest gpu_memory_utilization for weights + overhead + one sequence', () => {
    const log = [
      '(EngineCore_DP0 pid=77) INFO 12-02 09:00:00 [gpu_model_runner.py:2000] Model loading took 14.25 GiB memory and 4.1 seconds',
      '(EngineCore_DP0 pid=77) INFO 12-02 09:00:05 [gpu_worker.py:300] Available KV cache memory: -1.84 GiB',
      '(EngineCore_DP0 pid=77) ERROR 12-02 09:00:05 [core.py:800] ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.',
    ].join('\n');
    const d = diagnoseText(tax, log, { model: 'Qwen/Qwen2.5-7B-Instruct', gpu: 'AMD Instinct MI300X', gpu_memory_utilization: 0.08, max_model_len: 32768 });
    // in use without cache: 0.08 x 191.69 + 1.84 = 17.18 GiB; one sequence: 32768 x 56 KiB = 1.75 GiB;
    // (17.18 + 1.75) / 191.69 = 0.0987 → 0.10 (not the blanket 0.9)
    const c = change(d, 'gpu_memory_utilization')!;
    expect(c).toMatchObject({ from: 0.08, to: 0.1 });
    expect(c.why).toContain('0.0987');
    expect(d.facts.kv_bytes_per_token).toBe(57344);
  });

  it('batch_too_large_runtime: the largest divisor of the batch that fits, accumulation keeps the effective batch', () => {
    const log = 'RuntimeError: CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 23.65 GiB total capacity; 21.10 GiB already allocated; 1.20 GiB free; 21.50 GiB reserved in total by PyTorch)';
    const d = diagnoseText(tax, log, 'python train.py --batch-size 64 --gradient-accumulation-steps 1');
    // in use 23.65 - 1.20 = 22.45 GiB + 2.00 requested = 24.45 GiB at batch 64;
    // 64 x (23.65 x 0.9) / 24.45 = 55.7 → largest divisor of 64 at or below: 32; accumulation 1 → 2
    expect(change(d, 'batch_size')).toMatchObject({ from: 64, to: 32 });
    expect(change(d, 'gradient_accumulation_steps')).toMatchObject({ from: 1, to: 2 });
    expect(d.fix!.command).toBe('python train.py --batch-size 32 --gradient-accumulation-steps 2');
  });

  it('batch_too_large_runtime in a process capped with set_per_process_memory_fraction: the cap, not the card, is the capacity', () => {
    const log = 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 512.00 MiB. GPU 0 has a total capacity of 139.81 GiB of which 131.02 GiB is free. Including non-PyTorch memory, this process has 7.87 GiB memory in use. 8.00 GiB allowed; Of the allocated memory 7.50 GiB is allocated by PyTorch, and 10.00 MiB is reserved by PyTorch but unallocated.';
    const d = diagnoseText(tax, log, 'python3 train_step.py --batch-size 64 --gradient-accumulation-steps 1');
    expect(d.category).toBe('batch_too_large_runtime');
    // this process: 7.87 GiB in use + 0.5 requested = 8.37 GiB at batch 64 (the card's 139.81 GiB
    // would say it fits); 64 x (8 x 0.9) / 8.37 = 55.1 → 32; accumulation 1 → 2
    expect(change(d, 'batch_size')).toMatchObject({ from: 64, to: 32 });
    expect(change(d, 'gradient_accumulation_steps')).toMatchObject({ from: 1, to: 2 });
    expect(change(d, 'batch_size')!.why).toContain('8 GiB x 0.9');
  });

  it('the same capped OOM from a ROCm build (no per-process figure): the cap, and what PyTorch holds', () => {
    const log = 'torch.OutOfMemoryError: HIP out of memory. Tried to allocate 512.00 MiB. GPU 0 has a total capacity of 191.98 GiB of which 183.10 GiB is free. 8.00 GiB allowed; Of the allocated memory 7.62 GiB is allocated by PyTorch, and 18.00 MiB is reserved by PyTorch but unallocated.';
    const d = diagnoseText(tax, log, 'python3 train_step.py --batch-size 128 --gradient-accumulation-steps 1');
    // 7.62 + 0.0176 = 7.64 GiB held + 0.5 requested = 8.14 GiB at batch 128 on an 8 GiB cap:
    // 128 x (8 x 0.9) / 8.14 = 113.2 → largest divisor of 128 at or below: 64
    expect(change(d, 'batch_size')).toMatchObject({ from: 128, to: 64 });
    expect(d.fix!.changes.find((c) => c.param === 'batch_size')!.why).toContain('8 GiB x 0.9');
    expect(d.root_cause).toContain('8 GiB GPU');
  });

  it('gpu_arch_unsupported on an RDNA2 card: the override value of its ISA family', () => {
    const log = 'rocBLAS error: Cannot read /opt/rocm/lib/rocblas/library/TensileLibrary.dat: No such file or directory for GPU arch : gfx1032\nAborted (core dumped)';
    const d = diagnoseText(tax, log);
    expect(d.category).toBe('gpu_arch_unsupported');
    expect(d.fix!.env).toEqual({ HSA_OVERRIDE_GFX_VERSION: '10.3.0' });
  });

  it('port_in_use: the rendezvous port goes to MASTER_PORT, with the next port proposed', () => {
    const log = 'torch.distributed.DistNetworkError: The server socket has failed to listen on any local network address. port: 29500, useIpv6: false, code: -98, name: EADDRINUSE, message: address already in use';
    const d = diagnoseText(tax, log);
    expect(d.category).toBe('port_in_use');
    expect(change(d, 'MASTER_PORT')).toMatchObject({ from: 29500, to: 29501 });
  });

  it('timeout: the budget that fits the load, from the measured rate', () => {
    const log = 'benchmark: completed 13/20 in 30.6 s (budget 30 s)\nTimeoutError: benchmark exceeded its time budget of 30 s';
    const d = diagnoseText(tax, log);
    expect(d.category).toBe('timeout');
    // 13 / 30.6 s = 0.425/s; 20 / 0.425 = 47.1 s, +10% → 52 s; or 0.425 x 30 x 0.9 = 11 items
    expect(change(d, 'time_budget_s')).toMatchObject({ from: 30, to: 52 });
    expect(change(d, 'items')).toMatchObject({ from: 20, to: 11 });
  });

  it('timeout with every item done but past the budget: the measured time + 10%', () => {
    const log = 'benchmark: completed 20/20 in 31.2 s (budget 30 s)\nTimeoutError: benchmark exceeded its time budget of 30 s';
    const d = diagnoseText(tax, log);
    expect(d.root_cause).toBe('All 20 finished, but in 31.2 s, past the 30 s budget.');
    expect(change(d, 'time_budget_s')).toMatchObject({ from: 30, to: 35 }); // 31.2 x 1.1 = 34.3 → 35
  });
});
