import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScanner } from './keyword-scanner.js';
import { deriveKeywords } from './keywords.js';
import { parseYaml } from './lazy-yaml.js';
import { cachedValidated, kindOf } from './taxonomy-cache.js';
import { schemas, type FactsFile, type PatternFile, type SignalSpec } from './pattern-schema.js';
import type { CompiledPattern, CompiledSignal, Taxonomy } from './types.js';


/** A bad pattern file: names the file and the field, so the person who wrote it can fix it. */
export class TaxonomyError extends Error {
  constructor(readonly file: string, readonly field: string, detail: string) {
    super(`${file}: ${field}: ${detail}`);
    this.name = 'TaxonomyError';
  }
}

interface RawSignal extends SignalSpec { file: string; field: string }

/** Loads the built-in taxonomy plus any extra directories (later ones replace earlier ids). */
export function loadTaxonomy(extraDirs: string[] = []): Taxonomy {
  const dirs = [builtinDir(), ...extraDirs.filter(Boolean)];
  const hash = createHash('sha256');
  const files = new Map<string, { file: string; data: PatternFile }>();
  const factSpecs: RawSignal[] = [];
  const factExamples: Taxonomy['factExamples'] = [];

  for (const dir of dirs) {
    if (!existsSync(dir)) throw new TaxonomyError(dir, 'directory', 'does not exist');
    for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
      const file = join(dir, name);
      const text = readFileSync(file, 'utf8');
      hash.update(name).update(text);
      const kind = kindOf(name);
      const cached = cachedValidated(kind, text);
      if (kind === 'facts') {
        const facts = (cached as FactsFile | undefined) ?? validate(schemas().factsFileSchema, parseFile(file, text), file);
        facts.facts.forEach((f, i) => {
          factSpecs.push({ ...f, weight: 0, decisive: false, file, field: `facts[${i}].regex` });
          for (const ex of f.examples) factExamples.push({ name: f.name, file, ...ex });
        });
        continue;
      }
      const data = (cached as PatternFile | undefined) ?? validate(schemas().patternSchema, parseFile(file, text), file);
      const stem = name.replace(/\.ya?ml$/, '');
      if (data.id !== stem) throw new TaxonomyError(file, 'id', `is "${data.id}" but the file is named ${name}`);
      files.set(data.id, { file, data });
    }
  }

  const patterns: CompiledPattern[] = [];
  const signals: CompiledSignal[] = [];
  const signalKeywords: string[][] = [];
  const addSignal = (spec: RawSignal, pattern: number): number => {
    signals.push({ pattern, name: spec.name, re: compile(spec), weight: spec.weight, decisive: spec.decisive });
    const kws = spec.keywords ?? deriveKeywords(spec.regex);
    if (!kws) throw new TaxonomyError(spec.file, spec.field, 'no literal of 4+ characters in every alternative: list `keywords`');
    signalKeywords.push(kws);
    return signals.length - 1;
  };

  for (const { file, data } of files.values()) {
    const index = patterns.length;
    const ids = data.signals.map((s, i) => addSignal({ ...s, file, field: `signals[${i}].regex` }, index));
    patterns.push({
      id: data.id, title: data.title, severity: data.severity, role: data.role,
      stacks: data.stacks, vendors: data.vendors,
      over: new Set(data.precedence.over), under: new Set(data.precedence.under),
      explanation: data.explanation.trim(), fix: data.fix, docs: data.docs, examples: data.examples,
      file, signals: ids,
    });
  }
  for (const spec of factSpecs) addSignal(spec, -1);

  const byId = new Map(patterns.map((p) => [p.id, p]));
  for (const p of patterns) {
    for (const [field, set] of [['precedence.over', p.over], ['precedence.under', p.under]] as const) {
      for (const id of set) if (!byId.has(id)) throw new TaxonomyError(p.file, field, `unknown category "${id}"`);
    }
  }

  // One scanner keyword may serve many signals; the scanner sees each distinct keyword once.
  const keywordIndex = new Map<string, number>();
  const keywordSignals: number[][] = [];
  signalKeywords.forEach((kws, signal) => {
    for (const kw of kws) {
      const key = kw.toLowerCase();
      let k = keywordIndex.get(key);
      if (k === undefined) { k = keywordSignals.length; keywordIndex.set(key, k); keywordSignals.push([]); }
      keywordSignals[k].push(signal);
    }
  });

  return {
    patterns, byId, signals, keywordSignals, factExamples,
    scanner: buildScanner([...keywordIndex.keys()]),
    version: hash.digest('hex').slice(0, 12),
  };
}

function builtinDir(): string {
  // from server/diagnosis (tsx) or dist/server/diagnosis (compiled): the taxonomy sits at the root
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const up of ['../../taxonomy', '../../../taxonomy']) {
    const dir = join(here, up);
    if (existsSync(join(dir, 'kv_cache_oom.yaml'))) return dir;
  }
  throw new TaxonomyError(here, 'taxonomy', 'built-in taxonomy directory not found');
}

function parseFile(file: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (e) {
    throw new TaxonomyError(file, 'yaml', (e as Error).message.split('\n')[0]);
  }
}

function validate<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, raw: unknown, file: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new TaxonomyError(file, issue.path.map(String).join('.') || '(file)', issue.message);
}

function compile(spec: RawSignal): RegExp {
  try {
    return new RegExp(spec.regex, spec.ignore_case ? 'i' : '');
  } catch (e) {
    throw new TaxonomyError(spec.file, spec.field, (e as Error).message);
  }
}
