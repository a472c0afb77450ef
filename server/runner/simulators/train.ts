import { COMMON_FLAGS, numFlag, parseFlags, provenanceLine, pyFloat, round, runOptions, Timeline, usageFailure, UsageError, type RunOptions, type SimResult } from './common.js';

/** A training step's memory, the original ReplayLab's model: fixed (weights + optimizer state +
 * runtime) plus per-sample activations. Its figures are the defaults: model 2048 MB + batch x
 * 128 MB + 512 MB against 8192 MB (read as MiB, the unit PyTorch reports). */
export interface TrainParams {
  batchSize: number;
  gradientAccumulationSteps: number;
  steps: number;
  gpuMemoryGib: number;
  /** weights + optimizer state */
  modelGib: number;
  activationMibPerSample: number;
  /** CUDA/HIP context and allocator slack: memory in use that is not the model's tensors */
  overheadMib: number;
  datasetSize: number;
  learningRate: number;
  /** simulated compute cost; no GPU was measured for this simulator, so these are assumptions */
  stepOverheadMs: number;
  msPerSample: number;
}

export interface TrainMetrics {
  completed: boolean;
  items_per_s: number;
  effective_batch: number;
  batch_size: number;
  gradient_accumulation_steps: number;
  peak_memory_gib: number;
  required_memory_gib: number;
  steps: number;
  final_loss: number | null;
  simulated: true;
}

export const TRAIN_DEFAULTS: TrainParams = {
  batchSize: 8, gradientAccumulationSteps: 1, steps: 20, gpuMemoryGib: 8, modelGib: 2, activationMibPerSample: 128,
  overheadMib: 512, datasetSize: 512, learningRate: 5e-5, stepOverheadMs: 40, msPerSample: 6,
};

export const TRAIN_PROVENANCE = provenanceLine('train-step', 'memory model from the original ReplayLab demo (model 2048 MB + batch x 128 MB + 512 MB of 8192 MB by default)');
const TRAIN_USAGE = 'train.py [--batch-size B] [--gradient-accumulation-steps A] [--steps S] [--gpu-memory-gib 8] [--model-gib 2.0] [--activation-mib-per-sample 128] [--overhead-mib 512] [--dataset-size 512] [--learning-rate 5e-05] [--time-scale S] [--telemetry FILE]';

/** Half of a sample's activation memory is saved by the forward pass; backward allocates the
 * other half (activation gradients) in one request, which is where a too-large batch fails. */
const SAVED_FRACTION = 0.5;
/** Of the overhead, what PyTorch's caching allocator holds reserved but unallocated. */
const ALLOCATOR_SLACK_MIB = 20;

/** c10's format_size: "844.00 MiB", "4.00 GiB" (the unit switches above 1 GiB). */
export function torchSize(mib: number): string {
  const bytes = mib * 2 ** 20;
  if (bytes <= 1024) return `${Math.round(bytes)} bytes`;
  if (bytes <= 2 ** 20) return `${(bytes / 1024).toFixed(2)} KiB`;
  if (bytes <= 2 ** 30) return `${mib.toFixed(2)} MiB`;
  return `${(mib / 1024).toFixed(2)} GiB`;
}

const TORCH = '/usr/local/lib/python3.12/dist-packages/torch';
const FRAMES = {
  load: ['  File "/workspace/train.py", line 70, in main', '    model = TinyLM(args).to(device)', '            ^^^^^^^^^^^^^^^^^^^^^^^^^^', `  File "${TORCH}/nn/modules/module.py", line 1355, in to`, '    return self._apply(convert)'],
  forward: ['  File "/workspace/train.py", line 78, in main', '    outputs = model(inputs)', '              ^^^^^^^^^^^^^', `  File "${TORCH}/nn/modules/module.py", line 1773, in _wrapped_call_impl`, '    return self._call_impl(*args, **kwargs)', `  File "${TORCH}/nn/modules/module.py", line 1784, in _call_impl`, '    return forward_call(*args, **kwargs)', '  File "/workspace/train.py", line 41, in forward', '    h = self.act(self.up(x))'],
  backward: ['  File "/workspace/train.py", line 81, in main', '    loss.backward()', `  File "${TORCH}/_tensor.py", line 648, in backward`, '    torch.autograd.backward(', `  File "${TORCH}/autograd/__init__.py", line 353, in backward`, '    _engine_run_backward(', `  File "${TORCH}/autograd/graph.py", line 824, in _engine_run_backward`, '    return Variable._execution_engine.run_backward(  # Calls into the C++ engine to run the backward pass', '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^'],
};

/** Loss falls with the samples seen, so two runs with the same effective batch log the same losses
 * step by step (what verification compares after a batch / accumulation fix). */
const lossAt = (samples: number) => 0.9 + 1.6 * Math.exp(-samples / 2048);

export function simulateTrainStep(input: Partial<TrainParams> = {}): SimResult<TrainMetrics> {
  const p: TrainParams = { ...TRAIN_DEFAULTS, ...input };
  const capMib = p.gpuMemoryGib * 1024;
  const modelMib = p.modelGib * 1024;
  const fixedMib = p.overheadMib + modelMib;
  const savedMib = p.batchSize * p.activationMibPerSample * SAVED_FRACTION;
  const gradMib = p.batchSize * p.activationMibPerSample - savedMib;
  const peakMib = fixedMib + savedMib + gradMib;
  const effective = p.batchSize * p.gradientAccumulationSteps;
  const t = new Timeline(p.gpuMemoryGib);
  const metrics: TrainMetrics = {
    completed: false, items_per_s: 0, effective_batch: effective, batch_size: p.batchSize, gradient_accumulation_steps: p.gradientAccumulationSteps,
    peak_memory_gib: 0, required_memory_gib: round(peakMib / 1024, 2), steps: 0, final_loss: null, simulated: true,
  };
  const gib = (mib: number) => mib / 1024;

  t.err(TRAIN_PROVENANCE).sample(0);
  t.err(`INFO train.py: device cuda:0 (${p.gpuMemoryGib.toFixed(2)} GiB), batch_size=${p.batchSize}, gradient_accumulation_steps=${p.gradientAccumulationSteps}, effective batch ${effective}`);
  t.wait(0.5).sample(gib(p.overheadMib));

  // The first request that does not fit raises; PyTorch reports it against what the process holds.
  const oom = (where: keyof typeof FRAMES, triedMib: number, inUseMib: number, torchAllocatedMib: number) => {
    const slack = Math.min(ALLOCATOR_SLACK_MIB, p.overheadMib);
    t.err('Traceback (most recent call last):', '  File "/workspace/train.py", line 96, in <module>', '    main()', ...FRAMES[where]);
    t.err(`torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ${torchSize(triedMib)}. GPU 0 has a total capacity of ${torchSize(capMib)} of which ${torchSize(Math.max(0, capMib - inUseMib))} is free. Including non-PyTorch memory, this process has ${torchSize(inUseMib)} memory in use. Of the allocated memory ${torchSize(torchAllocatedMib)} is allocated by PyTorch, and ${torchSize(slack)} is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try setting PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.  See documentation for Memory Management  (https://pytorch.org/docs/stable/notes/cuda.html#environment-variables)`);
    metrics.peak_memory_gib = round(Math.max(...t.telemetry.map((s) => s.vram_used_gib)), 2);
    return t.wait(0.1).sample(0).finish(1, metrics);
  };
  if (fixedMib > capMib) return oom('load', modelMib, p.overheadMib, 0);
  t.ramp(gib(p.overheadMib), gib(fixedMib), 1, 2);

  const microMs = p.stepOverheadMs + p.batchSize * p.msPerSample;
  const logEvery = Math.max(1, Math.round(p.steps / 10));
  let elapsedS = 0;
  for (let step = 1; step <= p.steps; step++) {
    for (let micro = 0; micro < p.gradientAccumulationSteps; micro++) {
      t.wait((microMs * SAVED_FRACTION) / 1000);
      if (fixedMib + savedMib > capMib) return oom('forward', savedMib, fixedMib, modelMib);
      t.sample(gib(fixedMib + savedMib));
      t.wait((microMs * (1 - SAVED_FRACTION)) / 1000);
      if (peakMib > capMib) return oom('backward', gradMib, fixedMib + savedMib, modelMib + savedMib);
      t.sample(gib(peakMib));
      elapsedS += microMs / 1000;
    }
    t.wait(0.01).sample(gib(fixedMib)); // optimizer step; the step's activations are freed
    elapsedS += 0.01;
    const loss = lossAt(step * effective);
    metrics.final_loss = round(loss, 4);
    if (step % logEvery === 0 || step === p.steps) {
      const gradNorm = 0.3 + 2 * Math.exp(-(step * effective) / 1024);
      const lr = p.learningRate * (1 - step / p.steps);
      t.out(`{'loss': ${pyFloat(round(loss, 4))}, 'grad_norm': ${pyFloat(round(gradNorm, 3))}, 'learning_rate': ${pyFloat(Number(lr.toPrecision(4)))}, 'epoch': ${pyFloat(round((step * effective) / p.datasetSize, 2))}}`);
    }
  }
  const items = p.steps * effective;
  metrics.completed = true;
  metrics.steps = p.steps;
  metrics.items_per_s = round(items / elapsedS, 1);
  metrics.peak_memory_gib = round(Math.max(...t.telemetry.map((s) => s.vram_used_gib)), 2);
  t.out(`{'train_runtime': ${pyFloat(round(elapsedS, 4))}, 'train_samples_per_second': ${pyFloat(metrics.items_per_s)}, 'train_steps_per_second': ${pyFloat(round(p.steps / elapsedS, 3))}, 'train_loss': ${pyFloat(metrics.final_loss!)}, 'epoch': ${pyFloat(round(items / p.datasetSize, 2))}}`);
  t.out(JSON.stringify(metrics));
  return t.wait(0.1).sample(0).finish(0, metrics);
}

const FLAGS = {
  ...COMMON_FLAGS, 'batch-size': 'value', 'gradient-accumulation-steps': 'value', steps: 'value', 'gpu-memory-gib': 'value', 'model-gib': 'value',
  'activation-mib-per-sample': 'value', 'overhead-mib': 'value', 'dataset-size': 'value', 'learning-rate': 'value',
} as const;

/** `python train.py --batch-size 64 ...` without the `python train.py` (argparse's exit 2 on a bad flag). */
export function trainStepFromArgv(argv: string[]): { result: SimResult<TrainMetrics>; options: RunOptions } {
  try {
    const f = parseFlags(argv, FLAGS);
    if (f.positionals.length) throw new UsageError(`unrecognized arguments: ${f.positionals.join(' ')}`);
    const d = TRAIN_DEFAULTS;
    const pos = { min: 0, exclusiveMin: true };
    const result = simulateTrainStep({
      batchSize: numFlag(f, 'batch-size', d.batchSize, { int: true, min: 1 }),
      gradientAccumulationSteps: numFlag(f, 'gradient-accumulation-steps', d.gradientAccumulationSteps, { int: true, min: 1 }),
      steps: numFlag(f, 'steps', d.steps, { int: true, min: 1, max: 100_000 }),
      gpuMemoryGib: numFlag(f, 'gpu-memory-gib', d.gpuMemoryGib, pos),
      modelGib: numFlag(f, 'model-gib', d.modelGib, { min: 0 }),
      activationMibPerSample: numFlag(f, 'activation-mib-per-sample', d.activationMibPerSample, pos),
      overheadMib: numFlag(f, 'overhead-mib', d.overheadMib, { min: 0 }),
      datasetSize: numFlag(f, 'dataset-size', d.datasetSize, { int: true, min: 1 }),
      learningRate: numFlag(f, 'learning-rate', d.learningRate, pos),
    });
    return { result, options: runOptions(f) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const metrics: TrainMetrics = { completed: false, items_per_s: 0, effective_batch: 0, batch_size: 0, gradient_accumulation_steps: 0, peak_memory_gib: 0, required_memory_gib: 0, steps: 0, final_loss: null, simulated: true };
    return { result: usageFailure(TRAIN_PROVENANCE, TRAIN_USAGE, 'train.py', e, metrics), options: { timeScale: 0 } };
  }
}
