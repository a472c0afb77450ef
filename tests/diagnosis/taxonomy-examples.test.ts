import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import { LogScan } from '../../server/diagnosis/log-scan.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

// Every pattern carries its own examples; this runs all of them, so a new pattern file is
// tested the moment it is added.
const tax = builtinTaxonomy();

describe.each(tax.patterns.map((p) => [p.id, p] as const))('pattern %s', (id, pattern) => {
  it.each(pattern.examples.positive.map((e, i) => [i, e] as const))('positive example %i is diagnosed as the category', (_i, example) => {
    const d = diagnoseText(tax, example);
    expect(d.category, `${pattern.file}\n${example}`).toBe(id);
  });

  it.each(pattern.examples.negative.map((e, i) => [i, e] as const))('negative example %i does not make the pattern fire', (_i, example) => {
    const scan = new LogScan(tax);
    scan.push(Buffer.from(example));
    const result = scan.end();
    const fired = pattern.signals.filter((s) => result.matches.has(s) && tax.signals[s].weight > 0).map((s) => tax.signals[s].name);
    const score = pattern.signals.reduce((sum, s) => sum + (result.matches.has(s) ? tax.signals[s].weight : 0), 0);
    const decisive = fired.some((name) => pattern.signals.some((s) => tax.signals[s].name === name && tax.signals[s].decisive));
    expect(decisive || score >= 1, `${pattern.file}: signals ${fired.join(', ')} fired on\n${example}`).toBe(false);
  });
});

describe('the taxonomy as a whole', () => {
  it('has every category id of the design, each in its own file', () => {
    const ids = [
      'kv_cache_oom', 'model_too_large', 'context_length_exceeded', 'rocm_version_mismatch', 'triton_attention_fallback',
      'tokenizer_timeout', 'port_in_use', 'engine_dead_after_warmup', 'batch_too_large_runtime', 'gpu_not_detected',
      'gpu_arch_unsupported', 'illegal_memory_access', 'nccl_error', 'cuda_driver_mismatch', 'host_oom_killed', 'shm_exhausted',
      'disk_full', 'nan_loss', 'hf_auth_gated', 'dependency_import_error', 'timeout', 'no_failure', 'unknown',
    ];
    expect(tax.patterns.map((p) => p.id).sort()).toEqual([...ids].sort());
    for (const p of tax.patterns) expect(p.file.endsWith(`${p.id}.yaml`)).toBe(true);
  });

  it('names a planner rule (or none) for every pattern', async () => {
    const { RULES } = await import('../../server/planner/plan.js');
    for (const p of tax.patterns) expect(p.fix.strategy === 'none' || p.fix.strategy in RULES, `${p.file}: fix.strategy ${p.fix.strategy}`).toBe(true);
  });
});

describe('fact extractors (_facts.yaml examples)', () => {
  it.each(tax.factExamples.map((e) => [e.name, e] as const))('%s', async (_name, example) => {
    const { factsFromScan } = await import('../../server/diagnosis/facts.js');
    const scan = new LogScan(tax);
    scan.push(Buffer.from(example.line));
    const facts = factsFromScan(tax, scan.end(), null);
    for (const [k, v] of Object.entries(example.expect)) {
      if (typeof v === 'number') expect(facts[k], `${k} from ${example.line}`).toBeCloseTo(v, 3);
      else expect(facts[k], `${k} from ${example.line}`).toBe(v);
    }
  });
});
