/** Process entry: `node --import tsx server/runner/simulators/vllm-startup.ts serve MODEL --max-model-len N ...`.
 * Thin on purpose: the simulation is the pure function in vllm.ts (unit-tested); this file only
 * replays its lines with timing and exits with its code. */
import { replay } from './replay.js';
import { vllmStartupFromArgv } from './vllm.js';

const { result, options } = vllmStartupFromArgv(process.argv.slice(2), { pid: process.pid, startedAt: new Date() });
await replay(result, options);
