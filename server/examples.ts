/** Example crash logs for the page's "Examples" list, written in the formats the tools really
 * print. Each one is what a person would paste: the log, and the command or config it ran with. */
export interface Example {
  id: string;
  title: string;
  /** one line under the title: what the example shows */
  blurb: string;
  log: string;
  config: string;
  /** the category the engine must answer (tests/pages check it) */
  expect: string;
}

const VLLM_MAX_MODEL_LEN = `INFO 03-14 09:12:03 [__init__.py:241] Automatically detected platform cuda.
(APIServer pid=4187) INFO 03-14 09:12:07 [api_server.py:1805] vLLM API server version 0.10.1.1
(APIServer pid=4187) INFO 03-14 09:12:07 [utils.py:326] non-default args: {'model_tag': 'mistralai/Mistral-7B-Instruct-v0.3', 'model': 'mistralai/Mistral-7B-Instruct-v0.3', 'max_model_len': 65536}
(APIServer pid=4187) Traceback (most recent call last):
(APIServer pid=4187)   File "/usr/local/bin/vllm", line 10, in <module>
(APIServer pid=4187)     sys.exit(main())
(APIServer pid=4187)   File "/usr/local/lib/python3.12/dist-packages/vllm/engine/arg_utils.py", line 1091, in create_model_config
(APIServer pid=4187)     return ModelConfig(
(APIServer pid=4187) pydantic_core._pydantic_core.ValidationError: 1 validation error for ModelConfig
(APIServer pid=4187)   Value error, User-specified max_model_len (65536) is greater than the derived max_model_len (max_position_embeddings=32768.0 or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1. VLLM_ALLOW_LONG_MAX_MODEL_LEN must be used with extreme caution. If the model uses relative position encoding (RoPE), positions exceeding derived_max_model_len lead to nan. [type=value_error, input_value=ArgsKwargs((), {'model': 'mistralai/Mistral-7B-Instruct-v0.3'}), input_type=ArgsKwargs]
(APIServer pid=4187)     For further information visit https://errors.pydantic.dev/2.11/v/value_error
`;

const TORCH_OOM = `[2025-05-07 03:21:02,417] INFO train.py:88 - epoch 0: 1250 steps, batch size 64, seq len 2048, bf16
[2025-05-07 03:21:09,902] INFO train.py:131 - step 1/1250 loss 2.4817 lr 2.0e-05
Traceback (most recent call last):
  File "/workspace/train.py", line 214, in <module>
    main()
  File "/workspace/train.py", line 190, in main
    loss = model(**batch).loss
  File "/opt/conda/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1736, in _wrapped_call_impl
    return self._call_impl(*args, **kwargs)
  File "/opt/conda/lib/python3.11/site-packages/transformers/models/llama/modeling_llama.py", line 1189, in forward
    logits = self.lm_head(hidden_states)
torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 7.83 GiB. GPU 0 has a total capacity of 79.15 GiB of which 3.12 GiB is free. Including non-PyTorch memory, this process has 76.02 GiB memory in use. Of the allocated memory 71.40 GiB is allocated by PyTorch, and 3.97 GiB is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)
`;

const NCCL_AFTER_OOM = `[rank0]:[I501 11:02:14.558] step 412 loss 1.9321 grad_norm 0.81
[rank3]: Traceback (most recent call last):
[rank3]:   File "/workspace/pretrain.py", line 301, in <module>
[rank3]:     loss.backward()
[rank3]:   File "/usr/local/lib/python3.10/dist-packages/torch/_tensor.py", line 581, in backward
[rank3]:     torch.autograd.backward(
[rank3]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 4.00 GiB. GPU 3 has a total capacity of 79.10 GiB of which 2.41 GiB is free. Process 88213 has 76.68 GiB memory in use. Of the allocated memory 72.15 GiB is allocated by PyTorch, and 3.22 GiB is reserved by PyTorch but unallocated.
[rank0]:[E501 11:12:15.771824829 ProcessGroupNCCL.cpp:632] [Rank 0] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=8231, OpType=ALLREDUCE, NumelIn=262144000, NumelOut=262144000, Timeout(ms)=600000) ran for 600012 milliseconds before timing out.
[rank1]:[E501 11:12:15.772019122 ProcessGroupNCCL.cpp:632] [Rank 1] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=8231, OpType=ALLREDUCE, NumelIn=262144000, NumelOut=262144000, Timeout(ms)=600000) ran for 600013 milliseconds before timing out.
[rank0]:[E501 11:12:15.772418301 ProcessGroupNCCL.cpp:2271] [PG ID 0 PG GUID 0(default_pg) Rank 0]  failure detected by watchdog at work sequence id: 8231 PG status: last enqueued work: 8231, last completed work: 8230
[rank0]:[E501 11:12:15.772431116 ProcessGroupNCCL.cpp:670] Stack trace of the failed collective not found, potentially because FlightRecorder is disabled. You can enable it by setting TORCH_NCCL_TRACE_BUFFER_SIZE to a non-zero value.
[rank0]:[E501 11:12:16.113582044 ProcessGroupNCCL.cpp:684] [Rank 0] Some NCCL operations have failed or timed out. Due to the asynchronous nature of CUDA kernels, subsequent GPU operations might run on corrupted/incomplete data.
[rank0]:[E501 11:12:16.113601521 ProcessGroupNCCL.cpp:698] [Rank 0] To avoid data inconsistency, we are taking the entire process down.
W0501 11:12:17.402000 5120 torch/distributed/elastic/multiprocessing/api.py:897] Sending process 5188 closing signal SIGTERM
E0501 11:12:18.117000 5120 torch/distributed/elastic/multiprocessing/api.py:869] failed (exitcode: -6) local_rank: 0 (pid: 5187) of binary: /usr/bin/python
`;

const HF_GATED = `Traceback (most recent call last):
  File "/usr/local/lib/python3.11/site-packages/huggingface_hub/utils/_http.py", line 409, in hf_raise_for_status
    response.raise_for_status()
  File "/usr/local/lib/python3.11/site-packages/requests/models.py", line 1024, in raise_for_status
    raise HTTPError(http_error_msg, response=self)
requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/usr/local/lib/python3.11/site-packages/transformers/utils/hub.py", line 403, in cached_file
    resolved_file = hf_hub_download(
huggingface_hub.errors.GatedRepoError: 401 Client Error. (Request ID: Root=1-67a0c2f1-3b9e8a2d4c6f1e0a7b5d9c3e;b1f2e3d4-a5b6-4c7d-8e9f-0a1b2c3d4e5f)

Cannot access gated repo for url https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/resolve/main/config.json.
Access to model meta-llama/Llama-3.1-8B-Instruct is restricted. You must have access to it and be authenticated to access it. Please log in.

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/workspace/finetune.py", line 42, in <module>
    model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-3.1-8B-Instruct", torch_dtype="bfloat16")
OSError: You are trying to access a gated repo.
Make sure to have access to it at https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct.
401 Client Error. (Request ID: Root=1-67a0c2f1-3b9e8a2d4c6f1e0a7b5d9c3e;b1f2e3d4-a5b6-4c7d-8e9f-0a1b2c3d4e5f)
`;

export const EXAMPLES: readonly Example[] = [
  {
    id: 'vllm-max-model-len', title: 'vLLM: max_model_len above the model’s limit',
    blurb: 'vllm serve with --max-model-len 65536 on a model whose config allows 32768',
    log: VLLM_MAX_MODEL_LEN, config: 'vllm serve mistralai/Mistral-7B-Instruct-v0.3 --max-model-len 65536', expect: 'context_length_exceeded',
  },
  {
    id: 'torch-cuda-oom', title: 'PyTorch: CUDA out of memory at batch 64',
    blurb: 'a training step that asks for 7.83 GiB with 3.12 GiB free',
    log: TORCH_OOM, config: 'python train.py --batch-size 64', expect: 'batch_too_large_runtime',
  },
  {
    id: 'nccl-timeout-after-oom', title: 'NCCL watchdog timeout after one rank’s OOM',
    blurb: 'rank 3 runs out of memory; ranks 0 and 1 time out in all-reduce ten minutes later',
    log: NCCL_AFTER_OOM, config: 'torchrun --nproc-per-node 4 pretrain.py --batch-size 32', expect: 'batch_too_large_runtime',
  },
  {
    id: 'hf-gated-401', title: 'Hugging Face: gated repo, 401',
    blurb: 'from_pretrained on meta-llama without a token that has access',
    log: HF_GATED, config: '', expect: 'hf_auth_gated',
  },
];

export function findExample(id: string | undefined): Example | undefined {
  return id ? EXAMPLES.find((e) => e.id === id) : undefined;
}
