import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readConfig } from './config.js';
import { diagnoseScan, diagnoseStream } from './diagnosis/diagnose.js';
import { scanFile } from './diagnosis/parallel-scan.js';
import { formatDiagnosisText } from './diagnosis/format-text.js';
import { ConfigError, parseRunConfig } from './diagnosis/run-config.js';
import { loadTaxonomy, TaxonomyError } from './diagnosis/taxonomy-loader.js';
import { scenarioCommand } from './cli-scenarios.js';

const HELP = `replaylab — a flight recorder for GPU experiments

Usage:
  replaylab diagnose [--json] FILE|- [--config FILE]
      Diagnose a crash log (FILE, or - for standard input). --config takes the run's config:
      JSON, YAML or a command line. Prints the diagnosis; --json prints the JSON object.
  replaylab scenario ID [--mode replay|live] [--speed N] [--json]
      Run a demo scenario through the agent loop: fail, diagnose, fix, re-run, verify. Replay uses
      the recording in runs/ when there is one for exactly these settings, else the CPU simulator.
  replaylab record [ID...] [--out DIR]
      Run scenarios with the CPU simulator and save every run as a recording (runs/ by default).
  replaylab --help

Exit status: 0 a diagnosis was produced (scenario: recovered), 1 usage error, 2 unreadable input,
3 a scenario did not recover.
Environment: REPLAYLAB_TAXONOMY_DIR adds pattern directories (':'-separated).`;

export interface CliIO {
  stdin: NodeJS.ReadableStream;
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}
class InputError extends Error {}

/** Runs the command line and returns the exit status; no process.exit inside, so tests call it. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(`${HELP}\n`);
      return command ? 0 : 1;
    }
    if (command === 'diagnose') return await diagnose(rest, io);
    if (command === 'scenario' || command === 'record') return await scenarioCommand(rest, io, command === 'record');
    throw new UsageError(`unknown command "${command}"`);
  } catch (e) {
    if (e instanceof UsageError) { io.stderr.write(`replaylab: ${e.message}\n\n${HELP}\n`); return 1; }
    if (e instanceof InputError || e instanceof ConfigError) { io.stderr.write(`replaylab: ${e.message}\n`); return 2; }
    if (e instanceof TaxonomyError) { io.stderr.write(`replaylab: bad taxonomy pattern: ${e.message}\n`); return 2; }
    throw e;
  }
}

async function diagnose(args: string[], io: CliIO): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (parsed.values.help) { io.stdout.write(`${HELP}\n`); return 0; }
  if (parsed.positionals.length !== 1) throw new UsageError('diagnose takes exactly one FILE (or - for standard input)');
  const file = parsed.positionals[0];
  let config: string | undefined;
  if (parsed.values.config) {
    try { config = readFileSync(parsed.values.config, 'utf8'); } catch (e) {
      throw new InputError(`cannot read config ${parsed.values.config}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  parseRunConfig(config); // a broken config fails before the log is opened
  const { taxonomyDirs } = readConfig(io.env);
  const tax = loadTaxonomy(taxonomyDirs);
  let diagnosis;
  try {
    diagnosis = file === '-'
      ? await diagnoseStream(tax, io.stdin as AsyncIterable<Buffer>, config)
      : diagnoseScan(tax, await scanFile(tax, file, taxonomyDirs), config);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new InputError(`cannot read ${file}: ${code}`);
    throw e;
  }
  io.stdout.write(parsed.values.json ? `${JSON.stringify(diagnosis, null, 2)}\n` : `${formatDiagnosisText(diagnosis)}\n`);
  return 0;
}
