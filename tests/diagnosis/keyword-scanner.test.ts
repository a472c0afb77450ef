import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildScanner, type KeywordHit } from '../../server/diagnosis/keyword-scanner.js';
import { deriveKeywords } from '../../server/diagnosis/keywords.js';

const naive = (text: string, keywords: string[]) => {
  const hits: string[] = [];
  const lower = text.toLowerCase();
  keywords.forEach((k, i) => {
    for (let p = lower.indexOf(k.toLowerCase()); p >= 0; p = lower.indexOf(k.toLowerCase(), p + 1)) hits.push(`${p}:${i}`);
  });
  return hits.sort();
};
const scan = (text: string, keywords: string[]) => {
  const buf = Buffer.from(text, 'latin1');
  const hits: KeywordHit[] = [];
  const s = buildScanner(keywords);
  s.scanLong(buf, 0, buf.length, hits);
  s.scanShort(buf, 0, buf.length, hits);
  return hits.map((h) => `${h.pos}:${h.keyword}`).sort();
};

describe('keyword scanner', () => {
  it('finds long and short keywords case-insensitively, at the edges of the buffer too', () => {
    const kws = ['out of memory', 'Killed', 'EADDRINUSE'];
    expect(scan('CUDA OUT OF MEMORY\nkilled\nx eaddrinuse', kws)).toEqual(naive('CUDA OUT OF MEMORY\nkilled\nx eaddrinuse', kws));
    expect(scan('out of memory', kws)).toEqual(['0:0']);
  });

  it('agrees with a naive search on any text (property)', () => {
    const alphabet = fc.constantFrom(...'abcdeEAB :\n'.split(''));
    const word = fc.array(alphabet, { minLength: 4, maxLength: 12 }).map((a) => a.join('').replace(/\n/g, 'x'));
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 8, comparator: (a, b) => a.toLowerCase() === b.toLowerCase() }), fc.array(alphabet, { maxLength: 400 }), (kws, chars) => {
        const text = chars.join('') + kws.join(' ');
        expect(scan(text, kws)).toEqual(naive(text, kws));
      }),
      { numRuns: 300 },
    );
  });
});

describe('deriveKeywords', () => {
  it('takes the longest literal run of each alternative', () => {
    expect(deriveKeywords('Tried to allocate (?<x>[\\d.]+ ?[KMG]iB)')).toEqual(['Tried to allocate ']);
    expect(deriveKeywords('EADDRINUSE|Address already in use')).toEqual(['EADDRINUSE', 'Address already in use']);
  });

  it('drops a character made optional or repeated by a quantifier', () => {
    expect(deriveKeywords('ncclSystemErrors?')).toEqual(['ncclSystemError']);
    expect(deriveKeywords('abcdx*yz')).toEqual(['abcd']);
  });

  it('uses a required group when the branch has no long literal of its own', () => {
    expect(deriveKeywords('(?:Model loading took|Loading model weights took) [\\d.]+')).toEqual(['Model loading took', 'Loading model weights took']);
  });

  it('returns null when an alternative has no literal of 4 characters (the author lists keywords)', () => {
    expect(deriveKeywords('abc|defgh')).toBeNull();
    expect(deriveKeywords('\\d+\\s+\\w+')).toBeNull();
    expect(deriveKeywords('(?:foo)?bar')).toBeNull();
  });
});
