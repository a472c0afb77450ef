import { plan } from '../planner/plan.js';
import { decide } from './decide.js';
import { factsFromScan } from './facts.js';
import { LogScan } from './log-scan.js';
import { numericValues, parseRunConfig, type RunConfig } from './run-config.js';
import type { Diagnosis, Facts, ScanResult, Taxonomy } from './types.js';

/** Diagnoses a log held in memory (the API, tests). */
export function diagnoseText(tax: Taxonomy, log: string | Buffer, config?: unknown): Diagnosis {
  const cfg = parseRunConfig(config); // throws ConfigError before any work on a broken config
  const scan = new LogScan(tax);
  scan.push(typeof log === 'string' ? Buffer.from(log, 'utf8') : log);
  return conclude(tax, scan.end(), cfg);
}

/** Diagnoses a log as it streams in (the CLI on a file or stdin, a live run): bounded memory. */
export async function diagnoseStream(tax: Taxonomy, chunks: AsyncIterable<Buffer | string>, config?: unknown): Promise<Diagnosis> {
  const cfg = parseRunConfig(config);
  const scan = new LogScan(tax);
  for await (const chunk of chunks) scan.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return conclude(tax, scan.end(), cfg);
}

export function conclude(tax: Taxonomy, scan: ScanResult, cfg: RunConfig): Diagnosis {
  const decision = decide(tax, scan);
  const pattern = decision.winner === null ? null : tax.patterns[decision.winner];
  const logFacts = factsFromScan(tax, scan, decision.winner);
  const facts: Facts = { ...(numericValues(cfg) as Facts), ...logFacts };
  if (typeof cfg.values.model === 'string' && facts.model === undefined) facts.model = cfg.values.model;

  if (!pattern) {
    return {
      category: 'unknown', severity: 'medium', title: 'No taxonomy loaded', root_cause: 'The taxonomy has no no_failure/unknown patterns.',
      evidence: [], facts, fix: null, confidence: 0, alternatives: [],
    };
  }
  const evidence = decision.evidence.length || pattern.role === 'healthy' ? decision.evidence : scan.tail.slice(-5);
  const text = [...evidence, ...scan.tail].map((e) => e.text).join('\n');
  const planned = plan({ category: pattern.id, pattern, facts, config: cfg, evidence, text });
  Object.assign(facts, planned.derived);
  return {
    category: pattern.id,
    severity: pattern.severity,
    title: pattern.title,
    root_cause: planned.rootCause ?? rootCauseFromPattern(pattern.explanation, pattern.role, scan, evidence),
    evidence,
    facts,
    fix: planned.fix,
    confidence: decision.confidence,
    alternatives: decision.alternatives,
    stats: { bytes: scan.bytes, lines: scan.lines, taxonomy_version: tax.version },
  };
}

function rootCauseFromPattern(explanation: string, role: string, scan: ScanResult, evidence: { line: number; text: string }[]): string {
  if (role === 'healthy') return scan.bytes === 0 ? 'The log is empty: nothing failed in it.' : 'No failure in this log: it shows the run working (warnings alone are not a failure).';
  if (role === 'generic') {
    const last = evidence[evidence.length - 1];
    return `The run failed, but no known failure pattern explains it${last ? `; the last error is on line ${last.line}: ${last.text.trim().slice(0, 200)}` : ''}.`;
  }
  const first = evidence[0];
  const general = explanation.split(/(?<=\.)\s/)[0];
  return first ? `${general} (line ${first.line}: ${first.text.trim().slice(0, 200)})` : general;
}
