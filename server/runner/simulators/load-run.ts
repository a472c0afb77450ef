/** Process entry: `node --import tsx server/runner/simulators/load-run.ts --prompts 20 --budget-s 30 ...`
 * stands in for a benchmark client. Thin on purpose: the simulation is the pure function in
 * load.ts; this file replays its lines with timing and exits with its code. */
import { loadRunFromArgv } from './load.js';
import { replay } from './replay.js';

const { result, options } = loadRunFromArgv(process.argv.slice(2));
await replay(result, options);
