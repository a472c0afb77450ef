import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../server/agent/scenario.js';
import { GpuLock } from '../../server/runner/live/gpu-lock.js';
import { findRecording } from '../../server/runner/recording.js';
import { scenarioRunner } from '../../server/runner/scenario-runner.js';
import { binWith, liveWith } from './helpers.js';

/** A scenario folder of its own: a live python program (with the stdlib's json standing in for
 * torch as the module that must import), so the runner is tested with a real python3. */
function pythonScenario(script: string, timeoutS = 30) {
  const dir = mkdtempSync(join(tmpdir(), 'replaylab-scn-'));
  mkdirSync(join(dir, 'live'));
  writeFileSync(join(dir, 'live', 'step.py'), script);
  writeFileSync(join(dir, 'train.yaml'), `id: py-step
title: A python step
summary: test
simulator: train-step
command: python train.py --batch-size 64 --gradient-accumulation-steps 1
params: { batch_size: 64, gradient_accumulation_steps: 1 }
baseline: { batch_size: 8, gradient_accumulation_steps: 8 }
verify: [{ metric: effective_batch, op: eq, value: 64 }]
live: { kind: python, script: live/step.py, args: ['--card-gib', '8'], module: json, timeout_s: ${timeoutS} }
`);
  return loadScenarios(dir)[0];
}

const ECHO = `import json, sys
print('INFO step.py: argv', sys.argv[1:], file=sys.stderr)
print(json.dumps({'argv': sys.argv[1:], 'completed': True, 'peak_memory_gib': 6.5}))
sys.exit(0 if '--card-gib' in sys.argv else 5)
`;

describe('a live python program (real python3, fake nvidia-smi)', () => {
  it('gets the params as argparse flags plus the scenario args; its last JSON line is the metrics', async () => {
    const s = pythonScenario(ECHO);
    const r = await scenarioRunner(s, { mode: 'live', live: liveWith(binWith('nvidia-smi')) })({ batch_size: 32, gradient_accumulation_steps: 2 }, 'fixed');
    expect(r.exitCode).toBe(0);
    expect(r.provenance.kind).toBe('live');
    // the program's own peak stays its own; the tool's device-wide reading is kept apart
    expect(r.metrics).toEqual({ argv: ['--batch-size', '32', '--gradient-accumulation-steps', '2', '--card-gib', '8'], completed: true, peak_memory_gib: 6.5, device_vram_peak_gib: 1 });
    expect(r.command).toBe('python3 scenarios/live/step.py --batch-size 32 --gradient-accumulation-steps 2 --card-gib 8');
    expect(r.stderr).toContain("INFO step.py: argv ['--batch-size', '32'");
  }, 60_000);

  it('a program that hangs is stopped at timeout_s and reported as timed out (124)', async () => {
    const s = pythonScenario('import time\nprint("working", flush=True)\ntime.sleep(120)\n', 1);
    const started = performance.now();
    const r = await scenarioRunner(s, { mode: 'live', live: liveWith(binWith('nvidia-smi')) })(s.params, 'failing');
    expect(r).toMatchObject({ exitCode: 124, timedOut: true });
    expect(r.stdout).toBe('working');
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it('the module missing from python3: the simulator runs, and says why', async () => {
    const dir = pythonScenario(ECHO);
    const s = { ...dir, live: { ...dir.live!, module: 'no_such_module_here' } } as typeof dir;
    const r = await scenarioRunner(s, { mode: 'live', live: liveWith(binWith('nvidia-smi')), timeScale: 0 })(s.params, 'failing');
    expect(r.provenance.kind).toBe('simulated');
    expect(r.provenance.text).toContain('python3 cannot use no_such_module_here');
  }, 60_000);

  it('`replaylab record` of a live run writes a recording whose manifest says live, on which GPU', async () => {
    const s = pythonScenario(ECHO);
    const out = mkdtempSync(join(tmpdir(), 'replaylab-rec-'));
    await scenarioRunner(s, { mode: 'live', live: liveWith(binWith('nvidia-smi')), recordTo: out })(s.params, 'failing');
    const rec = findRecording(out, 'py-step', 'failing', s.params)!;
    expect(rec.manifest.provenance.kind).toBe('live');
    expect(rec.manifest.recorder).toBe('replaylab record (live on FAKE GPU for tests)');
    expect(rec.manifest.context).toEqual({ gpu: 'FAKE GPU for tests', gpu_total_gib: 191.69 });
    expect(rec.telemetry[0]).toMatchObject({ source: 'nvidia-smi' });
    expect(rec.lines.some((l) => l.line.startsWith('INFO step.py'))).toBe(true);
  }, 60_000);
});

describe('the shipped live training step', () => {
  it('scenarios/live/train_step.py is valid Python that the train scenario names', () => {
    const file = fileURLToPath(new URL('../../scenarios/live/train_step.py', import.meta.url));
    execFileSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file]);
    expect(readFileSync(file, 'utf8')).toContain('set_per_process_memory_fraction');
    expect(loadScenarios().find((x) => x.id === 'train-batch-64')!.live).toMatchObject({ kind: 'python', script: 'live/train_step.py', module: 'torch' });
  });
});

describe('the GPU lock', () => {
  it('runs live GPU work one at a time, in order, and lets a stopped waiter leave the queue', async () => {
    const lock = new GpuLock();
    const log: string[] = [];
    const job = (name: string, ms: number) => async () => { log.push(`${name} start`); await new Promise((r) => setTimeout(r, ms)); log.push(`${name} end`); return name; };
    const stopped = new AbortController();
    const a = lock.run(undefined, job('a', 50));
    const b = lock.run(stopped.signal, job('b', 10));
    const c = lock.run(undefined, job('c', 10));
    stopped.abort();
    await expect(b).rejects.toThrow('stopped while waiting for the GPU');
    expect(await Promise.all([a, c])).toEqual(['a', 'c']);
    expect(log).toEqual(['a start', 'a end', 'c start', 'c end']);
  });
});
