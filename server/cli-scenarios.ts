import { parseArgs } from 'node:util';
import { agentLoop } from './agent/loop.js';
import { loadScenarios, type Scenario } from './agent/scenario.js';
import type { StepEvent } from './agent/types.js';
import { readConfig, type AppConfig } from './config.js';
import { loadTaxonomy } from './diagnosis/taxonomy-loader.js';
import type { Taxonomy } from './diagnosis/types.js';
import { runsDir } from './runner/recording.js';
import { describeLiveEnvironment } from './runner/live/environment.js';
import { createLiveOptions } from './runner/live/live-options.js';
import { scenarioRunner } from './runner/scenario-runner.js';
import { createExec } from './telemetry/exec.js';
import type { CliIO } from './cli.js';

const ICON: Record<StepEvent['status'], string> = { ok: 'ok  ', failed: 'FAIL', warning: 'WARN', skipped: 'skip' };

/** `replaylab scenario ID` and `replaylab record`: the agent loop in a terminal, one line a step. */
export async function scenarioCommand(args: string[], io: CliIO, record: boolean): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
    mode: { type: 'string' }, json: { type: 'boolean' }, speed: { type: 'string', default: '1' },
    out: { type: 'string' }, all: { type: 'boolean' },
  } });
  const scenarios = loadScenarios();
  const chosen = record && (values.all || !positionals.length) ? scenarios : scenarios.filter((s) => positionals.includes(s.id));
  if (!chosen.length) {
    io.stderr.write(`replaylab: name a scenario: ${scenarios.map((s) => s.id).join(', ')}\n`);
    return 1;
  }
  const modes = record ? ['live', 'simulator'] : ['replay', 'live'];
  const mode = values.mode ?? (record ? 'live' : 'replay');
  if (!modes.includes(mode)) { io.stderr.write(`replaylab: --mode is ${modes.join(' or ')}\n`); return 1; }
  const config = readConfig(io.env);
  const tax = loadTaxonomy(config.taxonomyDirs);
  const live = createLiveOptions({ enabled: config.liveGpu && mode === 'live', exec: createExec({ env: io.env }), scenarios, telemetryIntervalMs: config.telemetryIntervalMs, env: io.env });
  if (mode === 'live' && !values.json) io.stderr.write(`live mode: ${config.liveGpu ? describeLiveEnvironment(await live.environment()) : 'off (REPLAYLAB_LIVE_GPU=off): the CPU simulators run'}\n`);
  // Ctrl-C stops the live program a run started (it runs in its own process group, which the
  // terminal's SIGINT does not reach), then exits as interrupted
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runAll(chosen, {
      io, json: values.json === true, signal: stop.signal, costs: config, taxonomy: tax,
      runner: (scenario) => scenarioRunner(scenario, {
        mode: mode === 'replay' ? 'replay' : 'live', speed: Number(values.speed) || 0,
        recordTo: record ? (values.out ?? runsDir()) : undefined,
        live: mode === 'live' ? live : undefined, signal: stop.signal,
      }),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

interface RunAllOptions {
  io: CliIO;
  json: boolean;
  signal: AbortSignal;
  costs: Pick<AppConfig, 'dollarsPerGpuHour' | 'manualDebugHours' | 'engineerDollarsPerHour'>;
  taxonomy: Taxonomy;
  runner: (scenario: Scenario) => ReturnType<typeof scenarioRunner>;
}

/** Each scenario through the loop, a line (or an NDJSON event) per step; 3 when one did not
 * recover, 130 when stopped. */
async function runAll(chosen: readonly Scenario[], o: RunAllOptions): Promise<number> {
  const { io } = o;
  let failed = 0;
  for (const scenario of chosen) {
    const { dollarsPerGpuHour, manualDebugHours, engineerDollarsPerHour } = o.costs;
    const loop = agentLoop(scenario, scenario.params, { taxonomy: o.taxonomy, run: o.runner(scenario), dollarsPerGpuHour, manualDebugHours, engineerDollarsPerHour });
    if (!o.json) io.stdout.write(`\n${scenario.title}\n`);
    for (;;) {
      const next = await loop.next();
      if (o.signal.aborted) {
        io.stderr.write('replaylab: stopped\n');
        return 130;
      }
      if (next.done) {
        if (o.json) io.stdout.write(`${JSON.stringify({ event: 'complete', scenario: scenario.id, verdict: next.value.verdict, cost: next.value.cost })}\n`);
        else io.stdout.write(`verdict: ${next.value.verdict}\n`);
        if (next.value.verdict !== 'recovered') failed++;
        break;
      }
      const e = next.value;
      if (o.json) io.stdout.write(`${JSON.stringify({ event: 'step', scenario: scenario.id, ...e })}\n`);
      else io.stdout.write(`[${e.seq}/9] ${ICON[e.status]} ${e.title} (${e.durationMs} ms) — ${e.summary}\n`);
    }
  }
  return failed ? 3 : 0;
}
