import { createRequire } from 'node:module';
import type { z as Zod } from 'zod';

/** The schema of one taxonomy file (taxonomy/<id>.yaml). Kept beside the loader's checks so a
 * person adding a pattern gets an error naming the file and the field. zod is loaded on first
 * use: the CLI's start-up reads the built-in taxonomy already validated (taxonomy-cache.ts). */

export const SEVERITIES = ['critical', 'high', 'medium', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** failure: a root cause that ends a run. warning: worth reporting only when nothing failed.
 * healthy: signs that a run is working (no_failure). generic: signs of some failure that no
 * specific pattern explains (unknown). */
export const ROLES = ['failure', 'warning', 'healthy', 'generic'] as const;
export type Role = (typeof ROLES)[number];

function build(z: typeof Zod) {
  const snake = z.string().regex(/^[a-z][a-z0-9_]*$/, 'use snake_case (a-z, 0-9, _)');

  const signalSchema = z.strictObject({
    name: snake,
    regex: z.string().min(3),
    ignore_case: z.boolean().default(false),
    weight: z.number().min(-2).max(3).default(1),
    decisive: z.boolean().default(false),
    keywords: z.array(z.string().min(4)).min(1).optional(),
  });

  const patternSchema = z.strictObject({
    id: snake,
    title: z.string().min(3),
    severity: z.enum(SEVERITIES),
    role: z.enum(ROLES).default('failure'),
    stacks: z.array(z.string()).min(1),
    vendors: z.array(z.enum(['amd', 'nvidia', 'any'])).min(1),
    signals: z.array(signalSchema).min(1),
    precedence: z
      .strictObject({ over: z.array(snake).default([]), under: z.array(snake).default([]) })
      .default({ over: [], under: [] }),
    explanation: z.string().min(10),
    fix: z.strictObject({
      strategy: snake,
      summary: z.string().min(3),
      risks: z.array(z.string()).default([]),
    }),
    docs: z.array(z.url()).default([]),
    examples: z.strictObject({
      positive: z.array(z.string().min(1)).min(1),
      negative: z.array(z.string().min(1)).min(1),
    }),
  });


  /** taxonomy/_facts.yaml: extractors for numbers that are not tied to one category. */
  const factsFileSchema = z.strictObject({
    facts: z.array(
      z.strictObject({
        name: snake,
        regex: z.string().min(3),
        ignore_case: z.boolean().default(false),
        keywords: z.array(z.string().min(4)).min(1).optional(),
        examples: z.array(z.strictObject({ line: z.string(), expect: z.record(z.string(), z.union([z.string(), z.number()])) })).default([]),
      }),
    ),
  });
  return { signalSchema, patternSchema, factsFileSchema };
}

type Schemas = ReturnType<typeof build>;
let built: Schemas | undefined;
export const schemas = (): Schemas => (built ??= build(createRequire(import.meta.url)('zod').z));

export type PatternFile = Zod.infer<Schemas['patternSchema']>;
export type SignalSpec = Zod.infer<Schemas['signalSchema']>;
export type FactsFile = Zod.infer<Schemas['factsFileSchema']>;
