import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLiveOptions, type LiveOptions } from '../../server/runner/live/live-options.js';
import { loadScenarios } from '../../server/agent/scenario.js';
import { createExec } from '../../server/telemetry/exec.js';

/** tests/fixtures/live/bin: a fake `nvidia-smi` (one 196,288 MiB card) and a fake `vllm` (the
 * vLLM simulator's start-up log, then a real HTTP completions server). */
export const FAKE_BIN = fileURLToPath(new URL('../fixtures/live/bin', import.meta.url));

/** A folder holding only the named fakes (and node, so the fake vllm can start). */
export function binWith(...names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'replaylab-bin-'));
  for (const name of names) {
    writeFileSync(join(dir, name), `#!/bin/sh\nexec "${join(FAKE_BIN, name)}" "$@"\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

/** A Hugging Face cache holding only Qwen2.5-7B-Instruct's config.json: what live mode checks
 * before it starts `vllm serve` with nothing to download. */
export function fakeHfCache(): string {
  const hub = mkdtempSync(join(tmpdir(), 'replaylab-hf-'));
  const snapshot = join(hub, 'models--Qwen--Qwen2.5-7B-Instruct', 'snapshots', '0123abc');
  mkdirSync(snapshot, { recursive: true });
  writeFileSync(join(snapshot, 'config.json'), '{"max_position_embeddings": 32768}');
  return hub;
}

/** Live options whose PATH starts with `bin` — the fakes there, then the system's (for node,
 * python3 and sh), with no real GPU tool of this machine in the way. */
export function liveWith(bin: string, env: NodeJS.ProcessEnv = {}, systemPath = '/usr/local/bin:/usr/bin:/bin'): LiveOptions {
  const PATH = [bin, join(process.execPath, '..'), systemPath].join(delimiter);
  const processEnv = { ...process.env, HF_HUB_CACHE: fakeHfCache(), ...env, PATH };
  return createLiveOptions({ enabled: true, exec: createExec({ env: processEnv }), scenarios: loadScenarios(), telemetryIntervalMs: 50, env: processEnv });
}
