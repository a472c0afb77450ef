import type { DetectedGpu } from '../../telemetry/detect-gpu.js';

/** The GPU a live program will use, among those the vendor tool listed. The program sees the
 * first of CUDA_VISIBLE_DEVICES / HIP_VISIBLE_DEVICES / ROCR_VISIBLE_DEVICES (in PCI order:
 * liveProcessEnv sets CUDA_DEVICE_ORDER=PCI_BUS_ID, the order nvidia-smi lists). `exact` is false
 * when that entry is not a plain index (a UUID or MIG slice): then the card is only a guess, and
 * its memory total must not be told to the planner (a MIG slice has far less than the card). */
export function visibleGpu(gpus: readonly DetectedGpu[], env: NodeJS.ProcessEnv): { gpu: DetectedGpu; exact: boolean } {
  for (const name of ['CUDA_VISIBLE_DEVICES', 'HIP_VISIBLE_DEVICES', 'ROCR_VISIBLE_DEVICES']) {
    const first = env[name]?.split(',')[0]?.trim();
    if (!first) continue;
    const index = /^\d+$/.test(first) ? Number(first) : null;
    const gpu = index === null ? undefined : gpus.find((g) => g.index === index);
    return gpu ? { gpu, exact: true } : { gpu: gpus[0], exact: false };
  }
  return { gpu: gpus[0], exact: true };
}
