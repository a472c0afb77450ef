import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

// Root cause over symptom: the cases the taxonomy's precedence rules exist for, in the shapes
// real multi-process logs take (rank prefixes, interleaving, a cause followed by its fallout).
const tax = builtinTaxonomy();
const diagnose = (log: string, config?: unknown) => diagnoseText(tax, log, config);

describe('root cause over symptom', () => {
  it('one rank out of memory makes the other ranks time out in NCCL: the answer is the OOM', () => {
    const log = [
      '[rank0]:[I1204 10:00:01.000 ProcessGroupNCCL.cpp:1000] ProcessGroupNCCL initialized',
      '[rank3]: Traceback (most recent call last):',
      '[rank3]:   File "train.py", line 88, in <module>',
      '[rank3]:     loss.backward()',
      '[rank3]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 1.50 GiB. GPU 3 has a total capacity of 79.15 GiB of which 812.00 MiB is free. Including non-PyTorch memory, this process has 78.33 GiB memory in use.',
      "[rank0]:[E1204 10:10:01.000 ProcessGroupNCCL.cpp:616] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1200, OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=600000) ran for 600001 milliseconds before timing out.",
      "[rank1]:[E1204 10:10:01.000 ProcessGroupNCCL.cpp:616] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1200, OpType=ALLREDUCE, NumelIn=1, NumelOut=1, Timeout(ms)=600000) ran for 600002 milliseconds before timing out.",
    ].join('\n');
    const d = diagnose(log);
    expect(d.category).toBe('batch_too_large_runtime');
    expect(d.evidence.map((e) => e.line)).toContain(5);
    expect(d.alternatives.map((a) => a.category)).toContain('nccl_error');
  });

  it('"EngineCore failed to start" after "No available memory for the cache blocks" is kv_cache_oom', () => {
    const log = [
      '(EngineCore_DP0 pid=501) INFO 12-01 08:00:10 [gpu_worker.py:298] Available KV cache memory: -0.42 GiB',
      '(EngineCore_DP0 pid=501) ERROR 12-01 08:00:10 [core.py:708] EngineCore failed to start.',
      '(EngineCore_DP0 pid=501) ERROR 12-01 08:00:10 [core.py:708] ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.',
      '(APIServer pid=430) RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}',
    ].join('\n');
    expect(diagnose(log).category).toBe('kv_cache_oom');
  });

  it('a harmless attention-backend warning is not the cause of a crash', () => {
    const log = [
      'INFO 12-01 08:00:01 [cuda.py:240] Cannot use FlashAttention-2 backend for Volta and Turing GPUs.',
      'INFO 12-01 08:00:01 [cuda.py:245] Using XFormers backend.',
      "[rank0]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 512.00 MiB. GPU 0 has a total capacity of 15.77 GiB of which 101.00 MiB is free.",
    ].join('\n');
    expect(diagnose(log).category).toBe('batch_too_large_runtime');
  });

  it('the same warning alone, in a run that works, is reported as the warning it is', () => {
    const log = 'INFO 12-01 08:00:01 [cuda.py:240] Cannot use FlashAttention-2 backend for Volta and Turing GPUs.\nINFO 12-01 08:00:01 [cuda.py:245] Using XFormers backend.\nINFO:     127.0.0.1:50000 - "POST /v1/completions HTTP/1.1" 200 OK\n';
    const d = diagnose(log);
    expect(d.category).toBe('triton_attention_fallback');
    expect(d.severity).toBe('warning');
  });

  it('an out-of-memory while loading weights is model_too_large, during training it is the batch', () => {
    const loading = [
      'Loading checkpoint shards:  40%|████      | 2/5 [00:09<00:14,  4.71s/it]',
      'Traceback (most recent call last):',
      '  File "serve.py", line 12, in <module>',
      '    model = AutoModelForCausalLM.from_pretrained(name, torch_dtype=torch.bfloat16, device_map="cuda")',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 448.00 MiB. GPU 0 has a total capacity of 23.64 GiB of which 201.06 MiB is free.',
    ].join('\n');
    const training = [
      '  File "train.py", line 140, in train_step',
      '    loss.backward()',
      'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 448.00 MiB. GPU 0 has a total capacity of 23.64 GiB of which 201.06 MiB is free.',
    ].join('\n');
    expect(diagnose(loading).category).toBe('model_too_large');
    expect(diagnose(training).category).toBe('batch_too_large_runtime');
  });

  it('DataLoader workers out of /dev/shm are shm_exhausted, not a full disk', () => {
    const log = [
      'ERROR: Unexpected bus error encountered in worker. This might be caused by insufficient shared memory (shm).',
      'RuntimeError: unable to write to file </torch_4121_2261883291_0>: No space left on device (28)',
      'RuntimeError: DataLoader worker (pid 4121) is killed by signal: Bus error. It is possible that dataloader\'s workers are out of shared memory. Please try to raise your shared memory limit.',
    ].join('\n');
    expect(diagnose(log).category).toBe('shm_exhausted');
  });

  it('a run with warnings only did not fail', () => {
    const log = [
      'Token indices sequence length is longer than the specified maximum sequence length for this model (1024 > 512). Running this sequence through the model will result in indexing errors',
      "{'loss': 1.2034, 'grad_norm': 0.88, 'learning_rate': 1.9e-05, 'epoch': 0.4}",
      "{'loss': 1.1012, 'grad_norm': 0.79, 'learning_rate': 1.8e-05, 'epoch': 0.5}",
    ].join('\n');
    const d = diagnose(log);
    expect(d.category).toBe('no_failure');
    expect(d.fix).toBeNull();
  });

  it('a failure nothing in the taxonomy explains is unknown, said plainly', () => {
    const log = 'Traceback (most recent call last):\n  File "prep.py", line 3, in <module>\n    cfg["tokenizer_path"]\nKeyError: \'tokenizer_path\'\n';
    const d = diagnose(log);
    expect(d.category).toBe('unknown');
    expect(d.root_cause).toMatch(/no known failure pattern/);
    expect(d.evidence.some((e) => e.text.includes('KeyError'))).toBe(true);
    expect(d.fix).toBeNull();
  });

  it('the host killing the process while loading is host_oom_killed, not a GPU problem', () => {
    const log = 'Loading checkpoint shards:  67%|██████▋   | 2/3 [00:31<00:15, 15.2s/it]\nKilled\n';
    expect(diagnose(log).category).toBe('host_oom_killed');
  });

  it('a gated repository is hf_auth_gated even when the download also reports connection retries', () => {
    const log = [
      "huggingface_hub.errors.GatedRepoError: 401 Client Error. (Request ID: Root=1-6770aa11-0f0e0e0e0e0e0e0e0e0e0e0e;aaaa)",
      'Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.1-8B/resolve/main/config.json.',
      'Access to model meta-llama/Llama-3.1-8B is restricted. You must have access to it and be authenticated to access it. Please log in.',
    ].join('\n');
    const d = diagnose(log);
    expect(d.category).toBe('hf_auth_gated');
    expect(d.facts.repo_id).toBe('meta-llama/Llama-3.1-8B');
  });

  it('confidence means something: a decisive match is confident, an unexplained failure is not', () => {
    const kv = diagnose('ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.');
    const unknown = diagnose('Traceback (most recent call last):\nValueError: bad value\n');
    expect(kv.confidence).toBeGreaterThan(0.7);
    expect(unknown.confidence).toBeLessThan(0.5);
  });
});
