/** What every simulator shares: the result shape, a builder for the simulated timeline, the
 * provenance line, flag parsing in the style of Python's argparse, and number formatting the way
 * Python prints it (the logs must read like the real tools' so the diagnosis sees real formats). */

export type Stream = 'stdout' | 'stderr';

/** One printed line at a simulated time (ms since the simulated start). */
export interface SimEvent { at_ms: number; stream: Stream; line: string }

/** One GPU memory sample; `simulated: true` on every line so no reader can mistake it for rocm-smi. */
export interface TelemetrySample { t_ms: number; vram_used_gib: number; vram_total_gib: number; simulated: true }

export interface SimResult<M> {
  stdout: string[];
  stderr: string[];
  exitCode: number;
  metrics: M;
  telemetry: TelemetrySample[];
  /** The same lines as stdout/stderr, in order, with their simulated times (the CLI replays them). */
  events: SimEvent[];
}

/** What the process entry needs besides the result: how fast to replay, where samples go. */
export interface RunOptions { timeScale: number; telemetryFile?: string }

export const SIMULATOR_VERSION = 'v1';

/** The first stderr line of every run, so a log can never pass for a GPU capture. */
export const provenanceLine = (name: string, source: string): string =>
  `[replaylab-simulator] ${name} ${SIMULATOR_VERSION}: simulated on CPU, ${source} (not a GPU run)`;

/** Collects lines and samples on a simulated clock. */
export class Timeline {
  private now = 0;
  readonly events: SimEvent[] = [];
  readonly telemetry: TelemetrySample[] = [];
  constructor(private readonly totalGib: number) {}

  get ms(): number { return this.now; }
  /** Advance the simulated clock (seconds). */
  wait(seconds: number): this { this.now += Math.max(0, seconds) * 1000; return this; }
  err(...lines: string[]): this { for (const line of lines) this.events.push({ at_ms: Math.round(this.now), stream: 'stderr', line }); return this; }
  out(...lines: string[]): this { for (const line of lines) this.events.push({ at_ms: Math.round(this.now), stream: 'stdout', line }); return this; }
  sample(usedGib: number): this {
    this.telemetry.push({ t_ms: Math.round(this.now), vram_used_gib: round(usedGib, 2), vram_total_gib: round(this.totalGib, 2), simulated: true });
    return this;
  }
  /** Samples a linear change over `seconds` (a phase such as loading weights), advancing the clock. */
  ramp(fromGib: number, toGib: number, seconds: number, steps = 4): this {
    for (let i = 1; i <= steps; i++) this.wait(seconds / steps).sample(fromGib + ((toGib - fromGib) * i) / steps);
    return this;
  }
  finish<M>(exitCode: number, metrics: M): SimResult<M> {
    return {
      stdout: this.events.filter((e) => e.stream === 'stdout').map((e) => e.line),
      stderr: this.events.filter((e) => e.stream === 'stderr').map((e) => e.line),
      exitCode, metrics, telemetry: this.telemetry, events: this.events,
    };
  }
}

export const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** Python's repr of a float: 0.9, 1.0, 5e-05. */
export function pyFloat(x: number): string {
  if (Number.isInteger(x)) return `${x}.0`;
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(x);
}

/** Thousands separators as Python's f"{n:,}". */
export const commas = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

export class UsageError extends Error {}

/** Flags of one tool: name (without dashes) → whether it takes a value. */
export type FlagSpec = Record<string, 'value' | 'bool'>;

export interface ParsedFlags { values: Map<string, string | true>; positionals: string[] }

/** `--flag value`, `--flag=value`, and vLLM's underscore spelling `--max_model_len`. */
export function parseFlags(argv: string[], spec: FlagSpec): ParsedFlags {
  const values = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { positionals.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)).replace(/_/g, '-');
    const kind = spec[name];
    if (!kind) throw new UsageError(`unrecognized arguments: ${arg}`);
    if (kind === 'bool') { values.set(name, true); continue; }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`argument --${name}: expected one argument`);
    values.set(name, value);
  }
  return { values, positionals };
}

interface NumOpts { int?: boolean; min?: number; max?: number; exclusiveMin?: boolean }

/** A numeric flag with argparse's wording on a bad value. */
export function numFlag(p: ParsedFlags, name: string, fallback: number, opts?: NumOpts): number;
export function numFlag(p: ParsedFlags, name: string, fallback: undefined, opts?: NumOpts): number | undefined;
export function numFlag(p: ParsedFlags, name: string, fallback: number | undefined, opts: NumOpts = {}): number | undefined {
  const raw = p.values.get(name);
  if (raw === undefined) return fallback;
  const x = Number(raw);
  if (raw === true || raw.trim() === '' || !Number.isFinite(x) || (opts.int && !Number.isInteger(x))) {
    throw new UsageError(`argument --${name}: invalid ${opts.int ? 'int' : 'float'} value: '${String(raw)}'`);
  }
  const low = opts.min !== undefined && (opts.exclusiveMin ? x <= opts.min : x < opts.min);
  if (low || (opts.max !== undefined && x > opts.max)) {
    const range = `${opts.min !== undefined ? `${opts.exclusiveMin ? '>' : '>='} ${opts.min}` : ''}${opts.max !== undefined ? `${opts.min !== undefined ? ' and ' : ''}<= ${opts.max}` : ''}`;
    throw new UsageError(`argument --${name}: must be ${range}, got ${raw}`);
  }
  return x;
}

export const strFlag = (p: ParsedFlags, name: string): string | undefined => {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : undefined;
};

/** The flags every simulator takes: replay speed and the telemetry file. */
export const COMMON_FLAGS: FlagSpec = { 'time-scale': 'value', telemetry: 'value' };

/** Default replay speed: 1 simulated second takes 10 ms, so tests stay fast. */
export const DEFAULT_TIME_SCALE = 0.01;

export function runOptions(p: ParsedFlags): RunOptions {
  return { timeScale: numFlag(p, 'time-scale', DEFAULT_TIME_SCALE, { min: 0 }), telemetryFile: strFlag(p, 'telemetry') };
}

/** A bad command line: argparse prints usage and the error and exits 2; the provenance line comes first. */
export function usageFailure<M>(provenance: string, usage: string, prog: string, error: UsageError, metrics: M): SimResult<M> {
  return new Timeline(0).err(provenance, `usage: ${usage}`, `${prog}: error: ${error.message}`).finish(2, metrics);
}
