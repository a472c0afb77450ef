import { parseArgs } from 'node:util';
import { agentLoop } from './agent/loop.js';
import { loadScenarios } from './agent/scenario.js';
import type { StepEvent } from './agent/types.js';
import { readConfig } from './config.js';
import { loadTaxonomy } from './diagnosis/taxonomy-loader.js';
import { runsDir } from './runner/recording.js';
import { scenarioRunner, type RunMode } from './runner/scenario-runner.js';
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
  if (values.mode !== 'replay' && values.mode !== 'live') { io.stderr.write('replaylab: --mode is replay or live\n'); return 1; }
  const tax = loadTaxonomy(readConfig(io.env).taxonomyDirs);
  let failed = 0;
  for (const scenario of chosen) {
    const run = scenarioRunner(scenario, {
      mode: record ? 'live' : (values.mode as RunMode), speed: Number(values.speed) || 0,
      recordTo: record ? (values.out ?? runsDir()) : undefined,
    });
    const loop = agentLoop(scenario, scenario.params, { taxonomy: tax, run, dollarsPerGpuHour: 1.99, manualDebugHours: 2, engineerDollarsPerHour: 75 });
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
