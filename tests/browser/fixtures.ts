/** Crash logs for the browser tests, written in the formats the tools really print (and checked to
 * be self-consistent: the OOM's numbers add up, the vLLM limits match the model's config). */

export const VLLM_LOG = `INFO 11-30 09:59:51 [__init__.py:241] Automatically detected platform cuda.
(APIServer pid=812) INFO 11-30 09:59:55 [api_server.py:1805] vLLM API server version 0.10.1.1
(APIServer pid=812) INFO 11-30 09:59:55 [utils.py:326] non-default args: {'model_tag': 'Qwen/Qwen2.5-7B-Instruct', 'model': 'Qwen/Qwen2.5-7B-Instruct', 'max_model_len': 65536}
(APIServer pid=812) INFO 11-30 09:59:59 [config.py:717] This model supports multiple tasks: {'generate', 'classify', 'embed', 'reward'}. Defaulting to 'generate'.
(APIServer pid=812) ERROR 11-30 10:00:00 [api_server.py:1880] Error in inference server startup
(APIServer pid=812) Traceback (most recent call last):
(APIServer pid=812)   File "/usr/local/lib/python3.12/dist-packages/vllm/entrypoints/openai/api_server.py", line 1872, in run_server
(APIServer pid=812)     vllm_config = engine_args.create_engine_config(usage_context=usage_context)
(APIServer pid=812)   File "/usr/local/lib/python3.12/dist-packages/vllm/engine/arg_utils.py", line 1091, in create_model_config
(APIServer pid=812)     return ModelConfig(
(APIServer pid=812) pydantic_core._pydantic_core.ValidationError: 1 validation error for ModelConfig
(APIServer pid=812)   Value error, User-specified max_model_len (65536) is greater than the derived max_model_len (max_position_embeddings=32768.0 or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1. VLLM_ALLOW_LONG_MAX_MODEL_LEN must be used with extreme caution. If the model uses relative position encoding (RoPE), positions exceeding derived_max_model_len lead to nan. [type=value_error, input_value=ArgsKwargs((), {'model': 'Qwen/Qwen2.5-7B-Instruct'}), input_type=ArgsKwargs]
(APIServer pid=812)     For further information visit https://errors.pydantic.dev/2.11/v/value_error
`;
/** the 1-based line of VLLM_LOG that proves the diagnosis */
export const VLLM_EVIDENCE_LINE = 12;
export const VLLM_CMD = 'vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 65536';

/** 79.19 total = 4.61 free + 74.56 in use (+ 0.02 driver); 69.85 allocated + 4.02 reserved ≤ 74.56 */
export const TORCH_OOM_LOG = `[2025-11-30 14:02:11,204] INFO train.py:97 - world size 1, batch size 64, seq len 4096, bf16, gradient checkpointing off
[2025-11-30 14:02:19,877] INFO train.py:140 - step 1/3000 loss 2.9104 lr 1.0e-05
Traceback (most recent call last):
  File "/workspace/train.py", line 231, in <module>
    main()
  File "/workspace/train.py", line 205, in main
    outputs = model(input_ids=batch["input_ids"], labels=batch["labels"])
  File "/opt/conda/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1751, in _call_impl
    return forward_call(*args, **kwargs)
  File "/opt/conda/lib/python3.11/site-packages/transformers/models/qwen2/modeling_qwen2.py", line 823, in forward
    logits = self.lm_head(hidden_states[:, slice_indices, :])
torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 9.28 GiB. GPU 0 has a total capacity of 79.19 GiB of which 4.61 GiB is free. Including non-PyTorch memory, this process has 74.56 GiB memory in use. Of the allocated memory 69.85 GiB is allocated by PyTorch, and 4.02 GiB is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)
`;
export const TRAIN_CMD = 'python train.py --batch-size 64\n';

/** A real failure with markup in it: both payloads would set window.__pwned if the page ran them. */
export const HOSTILE_LOG = `[2025-11-30 14:02:19,877] INFO train.py:140 - prompt preview: <script>window.__pwned=1</script>
[2025-11-30 14:02:19,878] INFO train.py:141 - sample caption: <img src=x onerror="window.__pwned=2;alert(2)">
${TORCH_OOM_LOG.split('\n').slice(2).join('\n')}`;
