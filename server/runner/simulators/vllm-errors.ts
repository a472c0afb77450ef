/** vLLM's failure texts, worded as vLLM 0.17 prints them (the diagnosis engine matches these
 * wordings, so they must not drift). Each function returns the lines without the process prefix. */

const PKG = '/usr/local/lib/python3.12/dist-packages';

/** The API server's path from `vllm serve` to engine-config creation: config validation errors
 * (pydantic) are raised there, before any engine process starts. */
const CONFIG_FRAMES = [
  'Traceback (most recent call last):',
  '  File "/usr/local/bin/vllm", line 10, in <module>',
  '    sys.exit(main())',
  '             ^^^^^^',
  `  File "${PKG}/vllm/entrypoints/cli/main.py", line 73, in main`,
  '    args.dispatch_function(args)',
  `  File "${PKG}/vllm/entrypoints/cli/serve.py", line 60, in cmd`,
  '    uvloop.run(run_server(args))',
  `  File "${PKG}/vllm/entrypoints/openai/api_server.py", line 122, in build_async_engine_client_from_engine_args`,
  '    vllm_config = engine_args.create_engine_config(usage_context=usage_context)',
  '                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  `  File "${PKG}/vllm/engine/arg_utils.py", line 1477, in create_engine_config`,
];

const PYDANTIC_FRAMES = [
  `  File "${PKG}/pydantic/_internal/_dataclasses.py", line 121, in __init__`,
  '    s.__pydantic_validator__.validate_python(ArgsKwargs(args, kwargs), self_instance=s)',
];

/** max_model_len above the model's derived maximum (max_position_embeddings). */
export function maxModelLenError(requested: number, derived: number, model: string): string[] {
  return [
    ...CONFIG_FRAMES,
    '    model_config = self.create_model_config()',
    '                   ^^^^^^^^^^^^^^^^^^^^^^^^^^',
    `  File "${PKG}/vllm/engine/arg_utils.py", line 1329, in create_model_config`,
    '    return ModelConfig(',
    '           ^^^^^^^^^^^^',
    ...PYDANTIC_FRAMES,
    'pydantic_core._pydantic_core.ValidationError: 1 validation error for ModelConfig',
    `  Value error, User-specified max_model_len (${requested}) is greater than the derived max_model_len (max_position_embeddings=${derived}.0 or model_max_length=None in model's config.json). To allow overriding this maximum, set the env var VLLM_ALLOW_LONG_MAX_MODEL_LEN=1. VLLM_ALLOW_LONG_MAX_MODEL_LEN must be used with extreme caution. If the model uses relative position encoding (RoPE), positions exceeding derived_max_model_len lead to nan. If the model uses absolute position encoding, positions exceeding derived_max_model_len will cause a CUDA array out-of-bounds error. [type=value_error, input_value=ArgsKwargs((), {'model': '${model}', ...}), input_type=ArgsKwargs]`,
    '    For further information visit https://errors.pydantic.dev/2.12/v/value_error',
  ];
}

/** gpu_memory_utilization outside (0, 1]: CacheConfig's field constraint. */
export function utilizationRangeError(util: number, pyValue: string): string[] {
  const [word, type, bound] = util > 1 ? ['less than or equal to', 'less_than_equal', '1'] : ['greater than', 'greater_than', '0'];
  return [
    ...CONFIG_FRAMES,
    '    cache_config = CacheConfig(',
    '                   ^^^^^^^^^^^^',
    ...PYDANTIC_FRAMES,
    'pydantic_core._pydantic_core.ValidationError: 1 validation error for CacheConfig',
    'gpu_memory_utilization',
    `  Input should be ${word} ${bound} [type=${type}, input_value=${pyValue}, input_type=float]`,
    `    For further information visit https://errors.pydantic.dev/2.12/v/${type}`,
  ];
}

/** The engine core's traceback from start-up to the KV cache memory check. */
function kvCheckFrames(line: number): string[] {
  return [
    'Traceback (most recent call last):',
    `  File "${PKG}/vllm/v1/engine/core.py", line 1090, in run_engine_core`,
    '    engine_core = EngineCoreProc(*args, engine_index=dp_rank, **kwargs)',
    `  File "${PKG}/vllm/v1/engine/core.py", line 834, in __init__`,
    '    super().__init__(',
    `  File "${PKG}/vllm/v1/engine/core.py", line 120, in __init__`,
    '    num_gpu_blocks, num_cpu_blocks, kv_cache_config = self._initialize_kv_caches(',
    `  File "${PKG}/vllm/v1/engine/core.py", line 237, in _initialize_kv_caches`,
    '    kv_cache_configs = get_kv_cache_configs(',
    `  File "${PKG}/vllm/v1/core/kv_cache_utils.py", line 1287, in get_kv_cache_configs`,
    '    _check_enough_kv_cache_memory(',
    `  File "${PKG}/vllm/v1/core/kv_cache_utils.py", line ${line}, in _check_enough_kv_cache_memory`,
    '    raise ValueError(',
  ];
}

/** Nothing left for the cache after weights and the profiling peak. */
export function noCacheMemoryError(): string[] {
  return [...kvCheckFrames(623), 'ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.'];
}

/** Some cache, but less than one sequence of max_model_len needs ("models's" is vLLM's spelling). */
export function notEnoughForOneSequenceError(maxModelLen: number, neededGib: number, availableGib: number, estimatedMax: number): string[] {
  return [
    ...kvCheckFrames(638),
    `ValueError: To serve at least one request with the models's max seq len (${maxModelLen}), (${neededGib.toFixed(2)} GiB KV cache is needed, which is larger than the available KV cache memory (${availableGib.toFixed(2)} GiB). Based on the available memory, the estimated maximum model length is ${estimatedMax}. Try increasing \`gpu_memory_utilization\` or decreasing \`max_model_len\` when initializing the engine.`,
  ];
}

/** What the API server prints when its engine process died during start-up. */
export function engineStartupFailed(): string[] {
  return [
    'Traceback (most recent call last):',
    `  File "${PKG}/vllm/v1/engine/utils.py", line 920, in wait_for_engine_startup`,
    '    raise RuntimeError(',
    'RuntimeError: Engine core initialization failed. See root cause above.',
  ];
}
