import { num, type PlanRule } from './types.js';

/** gfx targets that run the kernels of a sibling with the same ISA (the ROCm community's
 * documented override values). */
const GFX_OVERRIDE: Record<string, string> = {
  gfx1031: '10.3.0', gfx1032: '10.3.0', gfx1033: '10.3.0', gfx1034: '10.3.0', gfx1035: '10.3.0', gfx1036: '10.3.0',
  gfx1101: '11.0.0', gfx1102: '11.0.0', gfx1103: '11.0.0', gfx1150: '11.0.0', gfx1151: '11.0.0',
};

/** The first CUDA toolkit whose PyTorch wheels include kernels for a compute capability. */
const CUDA_FOR_SM: [number, string][] = [[120, 'cu128'], [100, 'cu128'], [90, 'cu118'], [89, 'cu118'], [86, 'cu111'], [80, 'cu110'], [75, 'cu102'], [70, 'cu102']];

export const archBuild: PlanRule = (ctx) => {
  // the log names the target (rocBLAS, Tensile, rocminfo) or the config names the GPU
  const named = Object.values(ctx.config.values).map(String).join(' ').match(/gfx[0-9a-f]{3,4}/)?.[0];
  const gfx = typeof ctx.facts.gfx_target === 'string' ? ctx.facts.gfx_target.replace(/:.*/, '') : named;
  if (gfx && GFX_OVERRIDE[gfx]) {
    return {
      rootCause: `The ROCm libraries ship no code objects for ${gfx}; its ISA matches gfx${GFX_OVERRIDE[gfx].replace(/\./g, '').replace(/0$/, '')}'s, which they do ship.`,
      summary: `Set HSA_OVERRIDE_GFX_VERSION=${GFX_OVERRIDE[gfx]} so ${gfx} runs the kernels built for its ISA sibling.`,
      changes: [{ param: 'HSA_OVERRIDE_GFX_VERSION', from: null, to: GFX_OVERRIDE[gfx], why: `${gfx} belongs to the family whose kernels are built as ${GFX_OVERRIDE[gfx]}` }],
      env: { HSA_OVERRIDE_GFX_VERSION: GFX_OVERRIDE[gfx] },
      risks: ['An override is safe only within the same ISA family; use a build for the exact target where one exists.'],
    };
  }
  const sm = typeof ctx.facts.compute_capability === 'string' ? Number(ctx.facts.compute_capability.replace(/\D/g, '')) : undefined;
  if (sm) {
    const cu = CUDA_FOR_SM.find(([min]) => sm >= min)?.[1] ?? 'cu118';
    return {
      rootCause: `The installed PyTorch has no kernels for sm_${sm}${ctx.facts.supported_archs ? ` (it supports ${ctx.facts.supported_archs})` : ''}.`,
      summary: `Install a PyTorch build compiled for sm_${sm} (the ${cu} wheels or newer).`,
      changes: [{ param: 'torch build', from: (ctx.facts.supported_archs as string) ?? null, to: `${cu}+ wheel (includes sm_${sm})`, why: `sm_${sm} kernels first ship in PyTorch's ${cu} builds` }],
    };
  }
  return {
    summary: 'Install a build of the framework/library compiled for this GPU architecture.',
    changes: [{ param: 'torch build', from: null, to: 'a build that includes this GPU architecture', why: 'the binary has no kernels for this GPU (gfx target or compute capability); the log does not name it, so check `rocminfo | grep gfx` or `nvidia-smi --query-gpu=compute_cap --format=csv`' }],
  };
};

/** CUDA runtime major.minor → minimum Linux driver (NVIDIA's CUDA compatibility table). */
const MIN_DRIVER: [number, string][] = [[12.8, '570.26'], [12.4, '550.54.14'], [12.0, '525.60.13'], [11.8, '520.61.05'], [11.0, '450.80.02'], [10.2, '440.33'], [10.0, '410.48']];

export const driverUpdate: PlanRule = (ctx) => {
  const cuda = num(ctx.facts.cuda_version) ?? num(ctx.config.values.container_cuda) ?? num(ctx.config.values.cuda);
  const found = ctx.facts.driver_version;
  const min = cuda ? MIN_DRIVER.find(([v]) => cuda >= v)?.[1] : undefined;
  const foundText = typeof found === 'number' && found >= 1000 && found < 100000 ? `driver supporting CUDA ${Math.floor(found / 1000)}.${(found % 1000) / 10}` : found ?? null;
  return {
    rootCause: `The NVIDIA driver is older than the CUDA runtime the program was built with${cuda ? ` (CUDA ${cuda})` : ''}.`,
    summary: min ? `Update the NVIDIA driver to ${min} or newer, or install a build for the CUDA version the driver supports.` : 'Update the NVIDIA driver, or install a build for the CUDA version the driver supports.',
    changes: [{ param: 'nvidia driver', from: foundText, to: min ? `>= ${min}` : 'a driver that supports the runtime CUDA version', why: min ? `CUDA ${cuda} needs Linux driver >= ${min} (NVIDIA CUDA compatibility table)` : 'CUDA runtime version not in the log; `nvidia-smi` shows the highest CUDA the driver supports' }],
  };
};

export const rocmBuild: PlanRule = (ctx) => {
  const lib = ctx.facts.missing_library ?? ctx.facts.undefined_symbol;
  const soVersion = typeof ctx.facts.missing_library === 'string' ? /\.so\.(\d+)/.exec(ctx.facts.missing_library)?.[1] : undefined;
  return {
    summary: soVersion ? `Install the ROCm ${soVersion}.x runtime that the build links against, or a build for the installed ROCm.` : 'Install the build that matches the installed ROCm version (or the ROCm version the build expects).',
    changes: [{ param: 'ROCm runtime', from: (ctx.facts.rocm_version as string) ?? null, to: soVersion ? `ROCm ${soVersion}.x (provides ${lib})` : 'the ROCm version the wheel was built for', why: lib ? `the build needs ${lib}, which the installed ROCm does not provide` : 'the ROCm libraries and the build disagree on versions' }],
  };
};

const PIP_NAMES: Record<string, string> = { cv2: 'opencv-python', PIL: 'pillow', sklearn: 'scikit-learn', yaml: 'pyyaml', flash_attn: 'flash-attn', google: 'protobuf' };

export const installDependency: PlanRule = (ctx) => {
  const mod = typeof ctx.facts.missing_module === 'string' ? ctx.facts.missing_module : undefined;
  const text = ctx.text;
  if (mod) {
    const top = mod.split('.')[0];
    const pkg = PIP_NAMES[top] ?? top.replace(/_/g, '-');
    return { summary: `Install ${pkg}.`, changes: [{ param: 'package', from: null, to: pkg, why: `\`import ${mod}\` failed: pip install ${pkg}` }] };
  }
  if (/flash_attn/i.test(text)) return { summary: 'Rebuild flash-attn against the installed torch.', changes: [{ param: 'flash-attn build', from: null, to: 'a wheel built for the installed torch/CUDA', why: 'an undefined C++ symbol means the compiled extension was built against a different torch' }] };
  if (/_C\b|vllm\._C|_OpNamespace/.test(text)) return { summary: 'Reinstall vLLM so its compiled extension matches the installed torch.', changes: [{ param: 'vllm build', from: null, to: 'rebuilt for the installed torch', why: "the compiled op library (_C) lacks an op the Python code calls: stale or mismatched build" }] };
  const lib = ctx.facts.missing_library ?? ctx.facts.undefined_symbol;
  return { summary: 'Install the missing library or the build that matches the installed versions.', changes: [{ param: 'package', from: null, to: lib ? `the package providing ${lib}` : 'the missing dependency', why: 'a module or shared library the program loads is missing or was built for other versions' }] };
};

export const attentionBackend: PlanRule = (ctx) => {
  const amd = ctx.config.values.gpu && /mi\d|radeon|gfx|amd/i.test(String(ctx.config.values.gpu)) || /rocm|hip/i.test(ctx.text);
  const to = amd ? 'TRITON_ATTN' : 'FLASH_ATTN';
  return {
    summary: 'The fast attention backend is unavailable; install its build or pick a supported backend explicitly. Often harmless.',
    changes: [{ param: 'VLLM_ATTENTION_BACKEND', from: null, to, why: amd ? 'on ROCm the Triton attention backend is the supported default' : 'install vllm-flash-attn matching torch/CUDA, then select FLASH_ATTN' }],
    env: { VLLM_ATTENTION_BACKEND: to },
  };
};

export const exposeGpu: PlanRule = (ctx) => {
  const text = ctx.text;
  if (/\/dev\/kfd|\/dev\/dri|permission/i.test(text)) return { summary: 'Pass the ROCm devices into the container and give the user access.', changes: [{ param: 'devices', from: null, to: '--device=/dev/kfd --device=/dev/dri --group-add video', why: 'the process cannot open /dev/kfd (ROCm compute device)' }] };
  if (/CUDA_VISIBLE_DEVICES|HIP_VISIBLE_DEVICES/.test(text) || ctx.config.env.CUDA_VISIBLE_DEVICES === '') return { summary: 'Make the GPUs visible to the process.', changes: [{ param: 'CUDA_VISIBLE_DEVICES', from: ctx.config.env.CUDA_VISIBLE_DEVICES ?? null, to: '0', why: 'the visible-devices list hides every GPU' }], env: { CUDA_VISIBLE_DEVICES: '0' } };
  if (/hip/i.test(text)) return { summary: 'The HIP runtime sees no usable GPU: check the ROCm version supports this GPU and the devices are passed in.', changes: [{ param: 'ROCm version', from: null, to: 'a ROCm/torch build that supports this GPU', why: 'hipGetDeviceCount failed: the runtime does not recognise the device' }] };
  return { summary: 'No NVIDIA GPU/driver visible: install the driver, pass `--gpus all` to the container, or run on CPU.', changes: [{ param: 'device', from: 'cuda', to: 'cpu (or a machine with an NVIDIA GPU and driver)', why: 'the process found no CUDA driver/device' }] };
};
