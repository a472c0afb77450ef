import type { KeywordScanner } from './keyword-scanner.js';
import type { Role, Severity } from './pattern-schema.js';

export type { Role, Severity };

export interface CompiledSignal {
  /** index into Taxonomy.patterns, or -1 for a fact extractor from _facts.yaml */
  pattern: number;
  name: string;
  re: RegExp;
  weight: number;
  decisive: boolean;
}

export interface CompiledPattern {
  id: string;
  title: string;
  severity: Severity;
  role: Role;
  stacks: string[];
  vendors: string[];
  over: Set<string>;
  under: Set<string>;
  explanation: string;
  fix: { strategy: string; summary: string; risks: string[] };
  docs: string[];
  examples: { positive: string[]; negative: string[] };
  /** the file it came from, for error messages and the taxonomy page */
  file: string;
  /** indices into Taxonomy.signals */
  signals: number[];
}

export interface Taxonomy {
  patterns: CompiledPattern[];
  byId: Map<string, CompiledPattern>;
  signals: CompiledSignal[];
  /** for each keyword of the scanner, the signals whose regex may match a line containing it */
  keywordSignals: number[][];
  scanner: KeywordScanner;
  /** the examples of _facts.yaml: a line and the facts it must yield */
  factExamples: { name: string; file: string; line: string; expect: Record<string, string | number> }[];
  /** a short hash of every file's content: changes when any pattern does */
  version: string;
}

export interface EvidenceLine { line: number; text: string }

export interface SignalMatch {
  count: number;
  first: EvidenceLine & { groups: Record<string, string> };
  last: EvidenceLine & { groups: Record<string, string> };
}

/** What a scan of a whole log leaves behind: bounded by the number of signals, not the log. */
export interface ScanResult {
  bytes: number;
  lines: number;
  matches: Map<number, SignalMatch>;
  /** the last lines of the log, for context when nothing matched */
  tail: EvidenceLine[];
}

export type FactValue = number | string | boolean;
export type Facts = Record<string, FactValue>;

/** `alternative`: another way to the same end (shown, not applied with the others). */
export interface FixChange { param: string; from: FactValue | null; to: FactValue; why: string; alternative?: boolean }

export interface Fix {
  summary: string;
  changes: FixChange[];
  env: Record<string, string>;
  command: string | null;
  config?: Record<string, unknown> | null;
  risks?: string[];
}

export interface Diagnosis {
  category: string;
  severity: Severity;
  title: string;
  root_cause: string;
  evidence: EvidenceLine[];
  facts: Facts;
  fix: Fix | null;
  confidence: number;
  alternatives: { category: string; confidence: number }[];
  stats?: { bytes: number; lines: number; taxonomy_version: string };
}
