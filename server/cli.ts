import { createReadStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readConfig } from './config.js';
import { diagnoseStream, diagnoseText } from './diagnosis/diagnose.js';
import { memoryCache } from './llm/cache.js';
import { readLlmConfig } from './llm/config.js';
import { explainDiagnosis, type Explanation } from './llm/explain.js';
import { formatDiagnosisText } from './diagnosis/format-text.js';
import { ConfigError, parseRunConfig } from './diagnosis/run-config.js';
import { loadTaxonomy, TaxonomyError } from './diagnosis/taxonomy-loader.js';
import { scenarioCommand } from './cli-scenarios.js';

const HELP = `replaylab — a flight recorder for GPU experiments

Usage:
  replaylab diagnose [--json] [--explain] FILE|- [--config FILE]
      Diagnose a crash log (FILE, or - for standard input). --config takes the run's config:
      JSON, YAML or a command line. Prints the diagnosis; --json prints the JSON object.
      --explain asks the LLM at LLM_BASE_URL (LLM_MODEL, LLM_API_KEY or HF_TOKEN) to explain it;
      secrets are redacted before anything is sent; without an endpoint it says why not.
  replaylab scenario ID [--mode replay|live] [--speed N] [--json]
      Run a demo scenario through the agent loop: fail, diagnose, fix, re-run, verify. Replay uses
      the recording in runs/ when there is one for exactly these settings, else the CPU simulator.
      Live runs the scenario's real program (vllm serve, a PyTorch step) on this machine's GPU,
      found with nvidia-smi / amd-smi / rocm-smi, when the program is installed; else the simulator.
  replaylab record [ID...] [--out DIR] [--mode live|simulator]
      Run scenarios and save every run as a recording (runs/ by default): live on this machine's
      GPU where it can (the default), or --mode simulator for the CPU simulators only.
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
    parsed = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, explain: { type: 'boolean' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
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
  let log: Buffer | null = null;
  try {
    if (parsed.values.explain) {
      // the explanation quotes lines around the evidence, so the log is kept in memory
      log = file === '-' ? await readAll(io.stdin as AsyncIterable<Buffer>) : readFileSync(file);
      diagnosis = diagnoseText(tax, log, config);
    } else {
      const input = file === '-' ? io.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
      diagnosis = await diagnoseStream(tax, input as AsyncIterable<Buffer>, config);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code) throw new InputError(`cannot read ${file}: ${code}`);
    throw e;
  }
  const explanation = log ? await explainDiagnosis(diagnosis, { log: log.toString('utf8'), config: config ?? null }, {
    config: readLlmConfig(io.env), taxonomyIds: tax.patterns.map((p) => p.id), cache: memoryCache(),
  }) : undefined;
  const out = explanation ? { ...diagnosis, explanation } : diagnosis;
  io.stdout.write(parsed.values.json ? `${JSON.stringify(out, null, 2)}\n` : `${formatDiagnosisText(diagnosis)}\n${explanation ? formatExplanation(explanation) : ''}`);
  return 0;
}

async function readAll(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(parts);
}

function formatExplanation(e: Explanation): string {
  if (e.source === 'none') return `\nExplanation: none (${e.reason})\n`;
  const stands = e.agrees ? 'agrees with the rules' : `suggests ${e.category}; the ${e.category_stands === 'rules' ? "rules' category stands" : "model's category is supported by the evidence"}`;
  const adopted = e.adopted ? '' : ` (not adopted: ${e.not_adopted_reason ?? 'names no known parameter'})`;
  return `\nExplanation (${e.model}${e.cached ? ', cached' : ''}, ${e.latency_ms} ms; ${stands}):\n  ${e.text}\n  Model's recommendation${adopted}: ${e.recommended_fix}\n`;
}
