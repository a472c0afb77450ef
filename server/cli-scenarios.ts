import { parseArgs } from 'node:util';
import { agentLoop } from './agent/loop.js';
import { loadScenarios } from './agent/scenario.js';
import type { StepEvent } from './agent/types.js';
import { readConfig } from './config.js';
import { loadTaxonomy } from './diagnosis/taxonomy-loader.js';
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
    mode: { type: 'string', default: 'replay' }, json: { type: 'boolean' }, speed: { type: 'string', default: '1' },
    out: { type: 'string' }, all: { type: 'boolean' },
  } });
  const scenarios = loadScenarios();
  const chosen = record && (values.all || !positionals.length) ? scenarios : scenarios.filter((s) => positionals.includes(s.id));
  if (!chosen.length) {
    io.stderr.write(`replaylab: name a scenario: ${scenarios.map((s) => s.id).join(', ')}\n`);
    return 1;
  }
  const modes = record ? ['live', 'simulator'] : ['replay', 'live'];
  const mode = record && values.mode === 'replay' ? 'live' : values.mode!; // record's default
  if (!modes.includes(mode)) { io.stderr.write(`replaylab: --mode is ${modes.join(' or ')}\n`); return 1; }
  const config = readConfig(io.env);
  const tax = loadTaxonomy(config.taxonomyDirs);
  const live = createLiveOptions({ enabled: config.liveGpu && mode === 'live', exec: createExec({ env: io.env }), scenarios, telemetryIntervalMs: config.telemetryIntervalMs, env: io.env });
  if (mode === 'live' && !values.json) io.stderr.write(`live mode: ${config.liveGpu ? describeLiveEnvironment(await live.environment()) : 'off (REPLAYLAB_LIVE_GPU=off): the CPU simulators run'}\n`);
  let failed = 0;
  for (const scenario of chosen) {
    const run = scenarioRunner(scenario, {
      mode: mode === 'replay' ? 'replay' : 'live', speed: Number(values.speed) || 0,
      recordTo: record ? (values.out ?? runsDir()) : undefined,
      live: mode === 'live' ? live : undefined,
    });
    const loop = agentLoop(scenario, scenario.params, {
      taxonomy: tax, run, dollarsPerGpuHour: config.dollarsPerGpuHour, manualDebugHours: config.manualDebugHours, engineerDollarsPerHour: config.engineerDollarsPerHour,
    });
    if (!values.json) io.stdout.write(`\n${scenario.title}\n`);
    for (;;) {
      const next = await loop.next();
      if (next.done) {
        if (values.json) io.stdout.write(`${JSON.stringify({ event: 'complete', scenario: scenario.id, verdict: next.value.verdict, cost: next.value.cost })}\n`);
        else io.stdout.write(`verdict: ${next.value.verdict}\n`);
        if (next.value.verdict !== 'recovered') failed++;
        break;
      }
      const e = next.value;
      if (values.json) io.stdout.write(`${JSON.stringify({ event: 'step', scenario: scenario.id, ...e })}\n`);
      else io.stdout.write(`[${e.seq}/9] ${ICON[e.status]} ${e.title} (${e.durationMs} ms) — ${e.summary}\n`);
    }
  }
  return failed ? 3 : 0;
}
