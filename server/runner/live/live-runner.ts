import { dirname } from 'node:path';
import type { Scenario } from '../../agent/scenario.js';
import type { ExperimentResult, Params, TelemetrySample } from '../../agent/types.js';
import type { Exec } from '../../telemetry/exec.js';
import { startSampler } from '../../telemetry/sampler.js';
import { lastJsonLine, type OutputLine } from '../output-lines.js';
import type { LiveEnvironment } from './environment.js';
import { runPythonLive } from './python-live.js';
import { visibleGpu } from './visible-gpu.js';
import { runVllmLive } from './vllm-live.js';

export interface LiveRunDeps {
  exec: Exec;
  env: LiveEnvironment & { gpu: { found: true } };
  telemetryIntervalMs: number;
  /** the environment the live program runs in (liveProcessEnv adds to it) */
  processEnv: NodeJS.ProcessEnv;
  signal: AbortSignal;
  onLine: (l: OutputLine) => void;
}

/** The environment a live program gets: ours, without the LLM sidecar's credentials, with
 * nothing downloaded at run time (a model must already be in the local Hugging Face cache unless
 * HF_HUB_OFFLINE says otherwise), no usage reports sent, and devices numbered as nvidia-smi
 * numbers them. */
export function liveProcessEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { LLM_API_KEY: _key, LLM_BASE_URL: _url, ...rest } = env;
  return { ...rest, HF_HUB_OFFLINE: env.HF_HUB_OFFLINE ?? '1', VLLM_NO_USAGE_STATS: '1', DO_NOT_TRACK: '1', PYTHONUNBUFFERED: '1', CUDA_DEVICE_ORDER: 'PCI_BUS_ID' };
}

/** Params a live program may be given: the scenario's own, numbers changed only to numbers
 * (requests and fixes alike), everything else exactly as the scenario file says. A fix is
 * derived from log text: this keeps anything but a number from ever reaching an argv. */
export function checkLiveParams(scenario: Scenario, params: Params): string | null {
  for (const [k, v] of Object.entries(params)) {
    const own = scenario.params[k];
    const ok = typeof own === 'number' ? typeof v === 'number' && Number.isFinite(v) : own === v || (own === undefined && typeof v === 'number' && Number.isFinite(v));
    if (!ok) return `param ${k}=${JSON.stringify(v)} is not one a live run takes (numbers only, or the scenario's own value)`;
  }
  return null;
}

/** Runs the scenario's live program on this machine's GPU while sampling the GPU's memory with
 * its vendor tool, and states exactly that in the provenance. */
export async function runLive(scenario: Scenario, params: Params, label: ExperimentResult['label'], deps: LiveRunDeps): Promise<ExperimentResult> {
  const live = scenario.live!;
  const refused = checkLiveParams(scenario, params);
  if (refused) throw new Error(`live run refused: ${refused}`);
  const { gpu } = deps.env;
  const { gpu: card, exact } = visibleGpu(gpu.gpus, deps.processEnv);
  const sampler = startSampler({ exec: deps.exec, tool: gpu.tool, gpuIndex: card.index, intervalMs: deps.telemetryIntervalMs });
  const started = performance.now();
  const o = { env: liveProcessEnv(deps.processEnv), signal: deps.signal, onLine: deps.onLine };
  let run: { exitCode: number; timedOut: boolean; argv: string[]; child: { lines: OutputLine[] }; metrics?: Record<string, unknown> };
  let command: string;
  let telemetry: TelemetrySample[] = [];
  try {
    if (live.kind === 'vllm-serve') {
      run = await runVllmLive(live, params, o);
      command = live.workload.kind === 'load'
        ? `${run.argv.join(' ')} ; load: --prompts ${params.prompts} --budget-s ${params.budget_s} --concurrency ${params.concurrency ?? 1}`
        : run.argv.join(' ');
    } else {
      const python = await runPythonLive(live, params, { ...o, scenariosDir: dirname(scenario.file) });
      run = python;
      command = ['python3', `scenarios/${live.script}`, ...python.args].join(' ');
    }
  } finally {
    telemetry = await sampler.stop();
  }
  const lines = run.child.lines;
  const text = (stream: OutputLine['stream']) => lines.filter((l) => l.stream === stream).map((l) => l.line).join('\n');
  const stdout = text('stdout');
  const metrics = { ...(run.metrics ?? lastJsonLine(stdout)) };
  // the tool's figure is the whole card's (other processes too): kept apart from the program's own peak
  if (telemetry.length) metrics.device_vram_peak_gib = Math.max(...telemetry.map((s) => s.vram_used_gib));
  return {
    label, params, command,
    exitCode: run.exitCode, timedOut: run.timedOut,
    durationMs: Math.round(performance.now() - started), simulatedMs: null,
    stdout, stderr: text('stderr'), metrics, telemetry,
    context: { gpu: card.name, ...(exact && card.vramTotalGiB !== null ? { gpu_total_gib: Number(card.vramTotalGiB.toFixed(2)) } : {}) },
    provenance: { kind: 'live', text: `recorded live on ${card.name}${card.vramTotalGiB !== null ? ` (${card.vramTotalGiB.toFixed(1)} GiB)` : ''}${exact ? '' : ' (the visible device is not a plain index: the card is a guess)'}, GPU memory from ${gpu.tool} every ${deps.telemetryIntervalMs} ms (device-wide)${sampler.failures ? `; ${sampler.failures} sample(s) failed: ${sampler.lastFailure}` : ''}` },
  };
}
