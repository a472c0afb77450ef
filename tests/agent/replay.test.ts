import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentLoop } from '../../server/agent/loop.js';
import { loadScenarios } from '../../server/agent/scenario.js';
import type { AgentResult } from '../../server/agent/types.js';
import { findRecording } from '../../server/runner/recording.js';
import { scenarioRunner, type RunnerOptions } from '../../server/runner/scenario-runner.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

// Recordings are made by the project's own recorder and replayed with their provenance intact.
const tax = builtinTaxonomy();
const scenario = loadScenarios().find((s) => s.id === 'train-batch-64')!;

async function loop(opts: RunnerOptions, params = scenario.params): Promise<AgentResult> {
  const gen = agentLoop(scenario, params, { taxonomy: tax, run: scenarioRunner(scenario, opts), dollarsPerGpuHour: 1.99, manualDebugHours: 2, engineerDollarsPerHour: 75 });
  for (;;) { const r = await gen.next(); if (r.done) return r.value; }
}

describe('record and replay', () => {
  it('records every run of the loop, then replays the same loop from the recordings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replaylab-runs-'));
    const live = await loop({ mode: 'live', timeScale: 0.002, recordTo: dir });
    expect(readdirSync(dir).sort()).toHaveLength(3); // failing, fixed, baseline
    const rec = findRecording(dir, scenario.id, 'failing', scenario.params)!;
    expect(rec.manifest).toMatchObject({ format: 'replaylab-recording/1', exit_code: 1, provenance: { kind: 'simulated' } });
    expect(rec.lines[0].line).toMatch(/^\[replaylab-simulator\]/);

    const replayed = await loop({ mode: 'replay', speed: 0, runs: dir });
    expect(replayed.verdict).toBe(live.verdict);
    expect(replayed.diagnosis!.category).toBe('batch_too_large_runtime');
    for (const run of [...replayed.attempts, replayed.baseline!]) expect(run.provenance.text).toMatch(/^replayed recording .* simulated on CPU/);
  }, 60_000);

  it('runs the simulator, and says so, when no recording matches the edited params', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replaylab-runs-'));
    const result = await loop({ mode: 'replay', speed: 0, runs: dir, timeScale: 0.002 }, { ...scenario.params, batch_size: 48 });
    expect(result.attempts[0].provenance.text).toMatch(/no recording of these params, so the simulator ran/);
    expect(result.verdict).toBe('recovered');
  }, 60_000);
});
