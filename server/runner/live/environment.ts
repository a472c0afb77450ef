import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Scenario } from '../../agent/scenario.js';
import type { Exec } from '../../telemetry/exec.js';
import { describeDetection, detectGpu, type GpuDetection } from '../../telemetry/detect-gpu.js';

/** What this machine can run live: its GPU (through the vendor's tool) and the programs the
 * scenarios' live sections start. Probed once per process: a GPU does not come and go. */
export interface LiveEnvironment {
  gpu: GpuDetection;
  /** where `vllm` is on PATH, or null */
  vllm: string | null;
  /** python3 modules checked so far (each on first use): importable, with a GPU visible */
  modules: Record<string, ModuleStatus>;
}

export interface ModuleStatus { ok: boolean; detail: string }

/** The file PATH would run for `name`, or null (what a shell's `command -v` answers). */
export function findExecutable(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    try { accessSync(file, constants.X_OK); return file; } catch { /* not here */ }
  }
  return null;
}

/** python3 imports the module and sees a GPU through it (torch.cuda covers ROCm builds too). */
export async function probeModule(exec: Exec, module: string): Promise<ModuleStatus> {
  const check = module === 'torch'
    ? 'import sys, torch; ok = torch.cuda.is_available(); print(torch.__version__, torch.cuda.get_device_name(0) if ok else "no GPU visible to torch"); sys.exit(0 if ok else 3)'
    : `import ${module}; print(getattr(${module}, "__version__", "installed"))`;
  const r = await exec('python3', ['-c', check], { timeoutMs: 60_000 });
  const said = (r.stdout.trim() || r.stderr.trim().split('\n').at(-1) || r.error || '').slice(0, 200);
  return r.code === 0 ? { ok: true, detail: `${module} ${said}` } : { ok: false, detail: `python3 cannot use ${module}: ${said || `exit ${r.code}`}` };
}

/** The GPU (10 s per tool: the first nvidia-smi on a node without persistence mode can take
 * seconds) and vllm. Python modules are checked when a scenario first needs one (importing torch
 * takes seconds; the page should not wait for it). */
export async function probeLiveEnvironment(exec: Exec, path = process.env.PATH ?? ''): Promise<LiveEnvironment> {
  const gpu = await detectGpu(exec, { timeoutMs: 10_000 });
  return { gpu, vllm: findExecutable('vllm', path), modules: {} };
}

/** The python modules the scenarios' live programs import. */
export const liveModules = (scenarios: readonly Scenario[]) => [...new Set(scenarios.flatMap((s) => (s.live?.kind === 'python' ? [s.live.module] : [])))];

/** Where a model is in the local Hugging Face cache (or on disk), or null. Live runs download
 * nothing (HF_HUB_OFFLINE=1), so a model that is not there would only fail to start. */
export function findCachedModel(model: string, env: NodeJS.ProcessEnv): string | null {
  if (isAbsolute(model) && existsSync(join(model, 'config.json'))) return model;
  const hub = env.HF_HUB_CACHE || (env.HF_HOME ? join(env.HF_HOME, 'hub') : join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'huggingface', 'hub'));
  const snapshots = join(hub, `models--${model.replace(/\//g, '--')}`, 'snapshots');
  try {
    for (const rev of readdirSync(snapshots)) if (existsSync(join(snapshots, rev, 'config.json'))) return join(snapshots, rev);
  } catch { /* no such model in the cache */ }
  return null;
}

/** Why this scenario cannot run live here, or null when it can. */
export function liveUnavailable(scenario: Scenario, env: LiveEnvironment, processEnv: NodeJS.ProcessEnv = process.env): string | null {
  const live = scenario.live;
  if (!live) return 'this scenario has no live command';
  if (!env.gpu.found) return describeDetection(env.gpu);
  if (live.kind === 'vllm-serve') {
    if (!env.vllm) return 'vllm is not installed (not on PATH)';
    const model = String(live.server?.model ?? scenario.params.model);
    const downloads = /^(0|false|no)$/i.test(processEnv.HF_HUB_OFFLINE ?? '');
    if (!downloads && !findCachedModel(model, processEnv)) return `${model} is not in the local Hugging Face cache (live runs download nothing; set HF_HUB_OFFLINE=0 to allow it)`;
  }
  if (live.kind === 'python') {
    const m = env.modules[live.module];
    if (!m?.ok) return m?.detail ?? `python3 cannot use ${live.module}`;
  }
  return null;
}

/** One line for the page and the CLI: what live mode will do on this machine. */
export function describeLiveEnvironment(env: LiveEnvironment): string {
  if (!env.gpu.found) return `${describeDetection(env.gpu)} — live runs use the CPU simulators`;
  const tools = [env.vllm ? 'vllm' : 'no vllm', ...Object.entries(env.modules).map(([m, s]) => (s.ok ? m : `no ${m}`))];
  return `${describeDetection(env.gpu)}; ${tools.join(', ')}`;
}
