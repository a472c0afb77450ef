import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.js';
import { logView } from '../../server/web/log-view.js';
import { requestOrigin } from '../../server/web/origin.js';
import { fence } from '../../server/web/run-markdown.js';

describe('logView', () => {
  it('shows a short log whole, with the evidence marked', () => {
    const v = logView('a\nb\nc\n', [2]);
    expect(v.windowed).toBe(false);
    expect(v.total).toBe(3);
    expect(v.segments).toEqual([{ kind: 'lines', lines: [
      { n: 1, text: 'a', hit: false, cut: 0 }, { n: 2, text: 'b', hit: true, cut: 0 }, { n: 3, text: 'c', hit: false, cut: 0 },
    ] }]);
  });

  it('shows windows around the evidence and the tail of a long log, counting the gaps', () => {
    const log = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n');
    const v = logView(log, [500, 505, 5000], { maxFull: 100, context: 3, tail: 5 });
    expect(v.windowed).toBe(true);
    const shape = v.segments.map((s) => (s.kind === 'gap' ? `gap ${s.from}-${s.to}` : `${s.lines[0].n}-${s.lines[s.lines.length - 1].n}`));
    expect(shape).toEqual(['gap 1-496', '497-508', 'gap 509-995', '996-1000']);
  });

  it('cuts very long lines', () => {
    const v = logView('x'.repeat(50), [], { maxLineChars: 10 });
    const line = v.segments[0].kind === 'lines' ? v.segments[0].lines[0] : null;
    expect(line).toMatchObject({ text: 'x'.repeat(10), cut: 40 });
  });
});

describe('Markdown fences', () => {
  it('are longer than any backtick run in the text', () => {
    expect(fence('a ``` b', 'text')).toEqual(['````text', 'a ``` b', '````']);
    expect(fence('plain', 'bash')).toEqual(['```bash', 'plain', '```']);
  });
});

describe('requestOrigin', () => {
  const req = (headers: Record<string, string>) => new Request('http://10.0.0.5:7860/api', { headers });
  it('takes the scheme from X-Forwarded-Proto and the host from Host', () => {
    expect(requestOrigin(req({ host: 'user-space.hf.space', 'x-forwarded-proto': 'https, http' }))).toBe('https://user-space.hf.space');
    expect(requestOrigin(req({ host: 'localhost:7860' }))).toBe('http://localhost:7860');
  });
  it('ignores a Host or scheme of the wrong shape', () => {
    expect(requestOrigin(req({ host: 'a b"c', 'x-forwarded-proto': 'javascript' }))).toBe('http://10.0.0.5:7860');
  });
});

describe('readConfig', () => {
  it('puts the database in DATA_DIR and bounds retention by default', () => {
    const c = readConfig({ DATA_DIR: '/data' });
    expect(c.dbFile).toBe('/data/replaylab.db');
    expect(c.maxRuns).toBe(5000);
    expect(c.maxAgeDays).toBe(30);
    expect(readConfig({ REPLAYLAB_MAX_RUNS: '10', REPLAYLAB_MAX_AGE_DAYS: '2' })).toMatchObject({ maxRuns: 10, maxAgeDays: 2 });
  });
});
