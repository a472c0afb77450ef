import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseYaml } from '../diagnosis/lazy-yaml.js';
import type { Params } from './types.js';

/** A demo scenario (scenarios/<id>.yaml): the failing experiment, its known-good baseline and
 * what verification compares. The simulator is named, never a command: the public page only
 * executes what these files say. */
export interface Scenario {
  id: string;
  title: string;
  summary: string;
  simulator: 'vllm-startup' | 'train-step' | 'load-run';
  /** the command a person would run; flags are patched from params for display */
  command: string;
  params: Params;
  /** what the diagnosis is told besides the command (GPU name, model) */
  context: Record<string, string | number>;
  baseline: Params;
  verify: { metric: string; op: 'eq' | 'gte' | 'lte' | 'within'; value?: string | number | boolean; of?: string; tolerance?: number }[];
  /** what live mode runs on a machine with a GPU where the tool is installed; absent: the simulator */
  live?: LiveSpec;
  file: string;
}

/** A live run, as data: which program ReplayLab starts and how, never a command string. */
export type LiveSpec =
  /** `vllm serve MODEL --flags` from params (or from `server`, the load scenario's fixed server),
   * wait for start-up, run the workload against its OpenAI-compatible API, then stop it */
  | { kind: 'vllm-serve'; server?: Params; workload: LiveWorkload; startup_timeout_s: number }
  /** `python3 scenarios/<script> --flags` from params plus `args`; needs `module` importable with a GPU */
  | { kind: 'python'; script: string; args: string[]; module: string; timeout_s: number };

export type LiveWorkload =
  /** a short benchmark: `prompts` requests one at a time, `max_tokens` each → tokens/s */
  | { kind: 'benchmark'; prompts: number; max_tokens: number }
  /** the scenario's own load: params prompts / budget_s / concurrency, `max_tokens` per prompt */
  | { kind: 'load'; max_tokens: number };

const z = () => (createRequire(import.meta.url)('zod') as typeof import('zod')).z;
const value = () => z().union([z().string(), z().number(), z().boolean()]);

function schema() {
  const Z = z();
  return Z.strictObject({
    id: Z.string().regex(/^[a-z0-9-]+$/),
    title: Z.string().min(3),
    summary: Z.string().min(3),
    simulator: Z.enum(['vllm-startup', 'train-step', 'load-run']),
    command: Z.string().min(3),
    params: Z.record(Z.string(), value()),
    context: Z.record(Z.string(), Z.union([Z.string(), Z.number()])).default({}),
    baseline: Z.record(Z.string(), value()),
    verify: Z.array(Z.strictObject({
      metric: Z.string(), op: Z.enum(['eq', 'gte', 'lte', 'within']),
      value: value().optional(), of: Z.string().optional(), tolerance: Z.number().optional(),
    })).min(1),
    live: Z.discriminatedUnion('kind', [
      Z.strictObject({
        kind: Z.literal('vllm-serve'),
        server: Z.record(Z.string(), value()).optional(),
        workload: Z.discriminatedUnion('kind', [
          Z.strictObject({ kind: Z.literal('benchmark'), prompts: Z.number().int().min(1).max(100), max_tokens: Z.number().int().min(1).max(8192) }),
          Z.strictObject({ kind: Z.literal('load'), max_tokens: Z.number().int().min(1).max(8192) }),
        ]),
        startup_timeout_s: Z.number().positive().max(3600).default(900),
      }),
      Z.strictObject({
        kind: Z.literal('python'),
        // a file under scenarios/, never a path from elsewhere
        script: Z.string().regex(/^[a-z0-9_/-]+\.py$/).refine((p) => !p.includes('..')),
        args: Z.array(Z.string()).default([]),
        module: Z.string().regex(/^[a-z_][a-z0-9_]*$/),
        timeout_s: Z.number().positive().max(3600).default(600),
      }),
    ]).optional(),
  });
}

export function scenariosDir(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../../scenarios', '../../../scenarios']) if (existsSync(join(here, up))) return join(here, up);
  throw new Error('scenarios directory not found');
}

export function loadScenarios(dir = scenariosDir()): Scenario[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((name) => {
    const file = join(dir, name);
    const parsed = schema().safeParse(parseYaml(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return { ...parsed.data, file };
  });
}
