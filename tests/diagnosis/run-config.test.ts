import { describe, expect, it } from 'vitest';
import { ConfigError, parseRunConfig } from '../../server/diagnosis/run-config.js';
import { parseSize } from '../../server/diagnosis/facts.js';
import { patchCommand } from '../../server/planner/patch-command.js';

describe('run config', () => {
  it('reads a vllm command line with env assignments, flags and the positional model', () => {
    const c = parseRunConfig('VLLM_USE_V1=0 vllm serve Qwen/Qwen2.5-7B-Instruct --max-model-len 65536 --gpu-memory-utilization=0.99 --enforce-eager -tp 2');
    expect(c.env).toEqual({ VLLM_USE_V1: '0' });
    expect(c.values).toMatchObject({ model: 'Qwen/Qwen2.5-7B-Instruct', max_model_len: 65536, gpu_memory_utilization: 0.99, enforce_eager: true, tensor_parallel_size: 2 });
  });

  it('reads JSON and YAML objects, normalising keys', () => {
    expect(parseRunConfig('{"maxModelLen": 4096, "training": {"per_device_train_batch_size": 8}}').values).toMatchObject({ max_model_len: 4096, batch_size: 8 });
    expect(parseRunConfig('max-model-len: 4096\ngpu_memory_utilization: 0.9\n').values).toMatchObject({ max_model_len: 4096, gpu_memory_utilization: 0.9 });
    expect(parseRunConfig({ command: 'python train.py --batch-size 64', gpu: 'T4' }).values).toMatchObject({ batch_size: 64, gpu: 'T4' });
  });

  it('refuses a config that is neither JSON, YAML nor a command line, with a clear message', () => {
    expect(() => parseRunConfig('{ broken json: [')).toThrow(ConfigError);
    expect(() => parseRunConfig('just some words')).toThrow(/neither/);
  });
});

describe('sizes', () => {
  it('reads the units PyTorch and vLLM print into GiB', () => {
    expect(parseSize('844.00 MiB')).toBeCloseTo(0.8242, 3);
    expect(parseSize('14.76 GiB')).toBe(14.76);
    expect(parseSize('-1.84 GiB')).toBe(-1.84);
    expect(parseSize('21.99GiB')).toBe(21.99);
    expect(parseSize('14.9888 GB')).toBe(14.9888); // vLLM's "GB" with 4 decimals is GiB
    expect(parseSize('16 GB')).toBeCloseTo(14.9, 1);
  });
});

describe('patching a command line', () => {
  const change = (param: string, to: number | boolean | string) => ({ param, from: null, to, why: '' });
  it('replaces a flag value in either spelling, or appends the flag', () => {
    expect(patchCommand('vllm serve m --max-model-len 65536 --port 8000', [change('max_model_len', 32768)], {})).toBe('vllm serve m --max-model-len 32768 --port 8000');
    expect(patchCommand('vllm serve m --max_model_len=65536', [change('max_model_len', 32768)], {})).toBe('vllm serve m --max_model_len=32768');
    expect(patchCommand('vllm serve m', [change('gpu_memory_utilization', 0.11)], {})).toBe('vllm serve m --gpu-memory-utilization 0.11');
    expect(patchCommand('vllm serve m', [change('enforce_eager', true)], {})).toBe('vllm serve m --enforce-eager');
  });

  it('sets environment variables in front, replacing an existing assignment', () => {
    expect(patchCommand('HSA_OVERRIDE_GFX_VERSION=9.0.0 python x.py', [], { HSA_OVERRIDE_GFX_VERSION: '10.3.0' })).toBe('HSA_OVERRIDE_GFX_VERSION=10.3.0 python x.py');
  });

  it('leaves advice (a `to` that is not a value) out of the command', () => {
    expect(patchCommand('python train.py', [change('batch_size', 'x0.50 of the current batch size')], {})).toBe('python train.py');
  });
});
