/** Process entry: `node --import tsx server/runner/simulators/train-step.ts --batch-size 64 ...`
 * stands in for `python train.py --batch-size 64 ...`. Thin on purpose: the simulation is the pure
 * function in train.ts; this file replays its lines with timing and exits with its code. */
import { replay } from './replay.js';
import { trainStepFromArgv } from './train.js';

const { result, options } = trainStepFromArgv(process.argv.slice(2));
await replay(result, options);
