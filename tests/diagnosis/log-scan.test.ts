import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LogScan } from '../../server/diagnosis/log-scan.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

const tax = builtinTaxonomy();
const OOM = 'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.06 GiB is free.';

function scanIn(chunks: Buffer[]) {
  const s = new LogScan(tax);
  for (const c of chunks) s.push(c);
  return s.end();
}
const summary = (r: ReturnType<typeof scanIn>) =>
  [...r.matches].map(([sig, m]) => `${tax.signals[sig].name}@${m.first.line}x${m.count}`).sort();

describe('streaming log scan', () => {
  it('reports 1-based line numbers across CRLF, ANSI colours and blank lines', () => {
    const log = 'INFO start\r\n\r\n\x1b[31mRuntimeError\x1b[0m: x\r\n' + OOM + '\r\n';
    const r = scanIn([Buffer.from(log)]);
    const oom = [...r.matches.values()].find((m) => m.first.text.includes('Tried to allocate'))!;
    expect(oom.first.line).toBe(4);
    expect(oom.first.text).not.toMatch(/\r|\x1b/);
    expect(r.lines).toBe(4);
  });

  it('finds the same signals on the same lines however the input is chunked (property)', () => {
    const log = Buffer.from(`a healthy line\n${'x'.repeat(300)}\n[rank3]: ${OOM}\nKilled\n(EngineCore_DP0 pid=2211) ERROR 11-19 14:07:52 [core.py:1100] EngineCore failed to start.\n`);
    const whole = summary(scanIn([log]));
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: log.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), log.length];
        const chunks = points.slice(1).map((end, i) => log.subarray(points[i], end));
        expect(summary(scanIn(chunks))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps memory bounded on one enormous line and still finds a failure after it', () => {
    const huge = Buffer.alloc(5 * 1024 * 1024, 'a');
    const r = scanIn([huge, Buffer.from(`\nok\n${OOM}\n`)]);
    const oom = [...r.matches.values()].find((m) => m.first.text.includes('Tried to allocate'))!;
    expect(oom.first.line).toBe(3);
    expect(oom.first.text.length).toBeLessThan(1000);
  });

  it('matches a message wrapped onto the next line', () => {
    const r = scanIn([Buffer.from("ValueError: The model's max seq len (4096) is larger than the maximum number of\ntokens that can be stored in KV cache (3584). Try increasing `gpu_memory_utilization`\n")]);
    const names = summary(r).join(' ');
    expect(names).toContain('seq_len_exceeds_kv_tokens@1');
  });

  it('keeps the last lines of the log for context', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n');
    const r = scanIn([Buffer.from(lines)]);
    expect(r.tail.at(-1)).toEqual({ line: 100, text: 'line 100' });
  });
});
