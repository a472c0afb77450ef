import type { Scenario } from '../../agent/scenario.js';
import type { Exec } from '../../telemetry/exec.js';
import { probeLiveEnvironment, probeModule, type LiveEnvironment } from './environment.js';
import { GpuLock } from './gpu-lock.js';

/** How live mode reaches a GPU: shared by every run of one process (one probe, one lock). */
export interface LiveOptions {
  /** false (REPLAYLAB_LIVE_GPU=off): live mode always runs the simulators */
  enabled: boolean;
  exec: Exec;
  /** the machine's GPU and tools, probed on first use and then remembered; a python module no
   * scenario named at start-up is checked when a scenario first asks for it */
  environment: (module?: string) => Promise<LiveEnvironment>;
  /** the environment if it has been probed already, else null (for pages rendered synchronously) */
  known: () => LiveEnvironment | null;
  lock: GpuLock;
  telemetryIntervalMs: number;
  /** live runs holding or waiting for the GPU beyond which a new one runs the simulator instead
   * (a public page must not queue hours of GPU work) */
  maxPending: number;
  /** the environment live programs run in, and whose PATH finds vllm (default: this process's) */
  env: NodeJS.ProcessEnv;
}

export function createLiveOptions(o: { enabled: boolean; exec: Exec; scenarios: readonly Scenario[]; telemetryIntervalMs: number; maxPending?: number; env?: NodeJS.ProcessEnv }): LiveOptions {
  let probe: Promise<LiveEnvironment> | null = null;
  let known: LiveEnvironment | null = null;
  const environment = async (module?: string) => {
    const env = known = await (probe ??= probeLiveEnvironment(o.exec, (o.env ?? process.env).PATH));
    // a tool that timed out may answer next time (a first nvidia-smi without persistence mode is slow)
    if (!env.gpu.found && env.gpu.tried.some((t) => t.reason.startsWith('timed out'))) probe = null;
    if (module && env.gpu.found && !env.modules[module]) env.modules[module] = await probeModule(o.exec, module);
    return env;
  };
  return {
    enabled: o.enabled,
    exec: o.exec,
    environment,
    known: () => known,
    lock: new GpuLock(),
    telemetryIntervalMs: o.telemetryIntervalMs,
    maxPending: o.maxPending ?? 4,
    env: o.env ?? process.env,
  };
}
