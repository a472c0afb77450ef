import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import { loadTaxonomy, TaxonomyError } from '../../server/diagnosis/taxonomy-loader.js';

const pattern = (id: string, extra = '') => `id: ${id}
title: Our cluster's scheduler preempted the job
severity: medium
stacks: [slurm]
vendors: [any]
signals:
  - name: preempted
    regex: 'JOB \\d+ ON \\S+ CANCELLED AT \\S+ DUE TO PREEMPTION'
    decisive: true
explanation: A higher-priority job took the nodes.
fix: { strategy: none, summary: Resubmit with --requeue }
examples:
  positive: ['slurmstepd: error: *** JOB 123 ON n1 CANCELLED AT 2025-01-01T00:00:00 DUE TO PREEMPTION ***']
  negative: ['slurmstepd: error: *** JOB 123 ON n1 CANCELLED AT 2025-01-01T00:00:00 DUE TO TIME LIMIT ***']
${extra}`;

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'replaylab-tax-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('taxonomy loader', () => {
  it('adds a pattern from an extra directory, without touching code', () => {
    const tax = loadTaxonomy([dirWith({ 'slurm_preempted.yaml': pattern('slurm_preempted') })]);
    const d = diagnoseText(tax, 'slurmstepd: error: *** JOB 99 ON gpu7 CANCELLED AT 2025-02-02T10:00:00 DUE TO PREEMPTION ***');
    expect(d.category).toBe('slurm_preempted');
  });

  it('lets an extra directory replace a built-in pattern with the same id', () => {
    const tax = loadTaxonomy([dirWith({ 'timeout.yaml': pattern('timeout') })]);
    expect(tax.byId.get('timeout')!.title).toBe("Our cluster's scheduler preempted the job");
    expect(tax.patterns.filter((p) => p.id === 'timeout')).toHaveLength(1);
  });

  it.each([
    ['a regex that does not compile', pattern('bad_regex').replace("'JOB \\d+", "'JOB (\\d+"), /signals\[0\]\.regex/],
    ['a missing field', pattern('no_title').replace(/^title: .*$/m, ''), /title/],
    ['an unknown field', pattern('extra_field', 'colour: red'), /colour|Unrecognized/],
    ['a file name that differs from the id', pattern('other_id'), /id: is "other_id"/],
    ['precedence over an unknown category', pattern('bad_prec', 'precedence: { over: [no_such_id] }'), /precedence\.over: unknown category "no_such_id"/],
    ['a regex with no literal to scan for', pattern('no_literal').replace("'JOB \\d+ ON \\S+ CANCELLED AT \\S+ DUE TO PREEMPTION'", "'\\d+\\s+\\w+'"), /list `keywords`/],
    ['broken YAML', 'id: [unclosed', /yaml/],
  ])('fails loudly, naming the file and the field, on %s', (_what, text, message) => {
    const name = text.startsWith('id: [') ? 'broken.yaml' : `${/^id: (\w+)/.exec(text)![1] === 'other_id' ? 'some_file' : /^id: (\w+)/.exec(text)![1]}.yaml`;
    const dir = dirWith({ [name]: text });
    let error: unknown;
    try { loadTaxonomy([dir]); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(TaxonomyError);
    expect((error as Error).message).toContain(join(dir, name));
    expect((error as Error).message).toMatch(message);
  });
});
