/** The answer schema, the streamed-field reader and the cache. */
import { describe, expect, it } from 'vitest';
import { cacheKey, memoryCache, validCached } from '../../server/llm/cache.js';
import { answerSchema, parseAnswer, responseFormat } from '../../server/llm/schema.js';
import { JsonFieldStream } from '../../server/llm/stream-field.js';

const ids = ['kv_cache_oom', 'model_too_large'];
const good = { root_cause: 'r', failure_category: 'kv_cache_oom', explanation: 'e', recommended_fix: 'f', confidence: 0.5 };

describe('the answer schema', () => {
  it('is strict JSON schema for response_format, the category an enum of the taxonomy ids', () => {
    const rf = responseFormat(ids);
    expect(rf.type).toBe('json_schema');
    expect(rf.json_schema.strict).toBe(true);
    expect(rf.json_schema.schema).toMatchObject({
      type: 'object', additionalProperties: false,
      required: ['root_cause', 'failure_category', 'explanation', 'recommended_fix', 'confidence'],
      properties: { failure_category: { enum: ids }, confidence: { type: 'number' } },
    });
    expect(answerSchema(ids).safeParse(good).success).toBe(true);
    expect(answerSchema(ids).safeParse({ ...good, failure_category: 'other' }).success).toBe(false);
  });

  it('parses an answer, fenced or bare, and says what is wrong with a bad one', () => {
    expect(parseAnswer(JSON.stringify(good), ids)).toEqual({ ok: true, answer: good });
    expect(parseAnswer('```json\n' + JSON.stringify(good) + '\n```', ids)).toMatchObject({ ok: true });
    expect(parseAnswer('Here it is: ' + JSON.stringify(good), ids)).toMatchObject({ ok: true });
    expect(parseAnswer('', ids)).toEqual({ ok: false, reason: 'the model returned an empty answer' });
    expect(parseAnswer('{"root_cause": "r", ', ids)).toMatchObject({ ok: false, reason: expect.stringMatching(/not valid JSON/) });
    expect(parseAnswer(JSON.stringify({ ...good, confidence: '0.5' }), ids)).toMatchObject({ reason: expect.stringMatching(/schema \(confidence/) });
    expect(parseAnswer(JSON.stringify({ ...good, explanation: undefined }), ids)).toMatchObject({ reason: expect.stringMatching(/explanation/) });
    expect(parseAnswer(JSON.stringify({ ...good, failure_category: 'oom' }), ids)).toMatchObject({ reason: expect.stringMatching(/outside the taxonomy \("oom"\)/) });
  });
});

describe('JsonFieldStream', () => {
  const follow = (deltas: string[]) => {
    const out: string[] = [];
    const s = new JsonFieldStream('explanation', (t) => out.push(t));
    for (const d of deltas) s.push(d);
    return { text: out.join(''), pieces: out, done: s.done };
  };

  it('emits only the field, unescaped, whatever the split', () => {
    const value = 'He said "no".\nTab\there, back\\slash, é and 😀.';
    const json = JSON.stringify({ root_cause: 'the "explanation": "decoy"', explanation: value, recommended_fix: 'x' }).replace('é', '\\u00e9');
    for (const size of [1, 2, 3, 5, 7, 64, json.length]) {
      const deltas = Array.from({ length: Math.ceil(json.length / size) }, (_, i) => json.slice(i * size, (i + 1) * size));
      expect(follow(deltas)).toMatchObject({ text: value, done: true });
    }
  });

  it('emits nothing without the field, and stops at its end', () => {
    expect(follow(['{"a": "b"}']).pieces).toEqual([]);
    expect(follow(['{"explanation": "ab', 'c", "x": "zzz"}'])).toEqual({ text: 'abc', pieces: ['ab', 'c'], done: true });
  });
});

describe('the cache', () => {
  const entry = { model: 'm', answer: good, created_at: 1 };

  it('keys on model, prompt version, taxonomy version and evidence hash', () => {
    const parts = { model: 'm', promptVersion: 'p1', taxonomyVersion: 't1', evidenceHash: 'e1' };
    const key = cacheKey(parts);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...parts })).toBe(key);
    for (const change of [{ model: 'm2' }, { promptVersion: 'p2' }, { taxonomyVersion: 't2' }, { evidenceHash: 'e2' }]) {
      expect(cacheKey({ ...parts, ...change })).not.toBe(key);
    }
  });

  it('stores copies, evicts the least recently used, and rejects what is not an answer', async () => {
    const cache = memoryCache(2);
    await cache.set('a', entry);
    await cache.set('b', entry);
    const hit = await cache.get('a'); // a is now the most recent
    hit!.answer.explanation = 'mutated';
    await cache.set('c', entry);
    expect(await cache.get('b')).toBeNull();
    expect((await cache.get('a'))?.answer.explanation).toBe('e');
    expect(cache.size).toBe(2);
    expect(validCached({ model: 'm', answer: { ...good, confidence: 2 } })).toBeNull();
    expect(validCached('x')).toBeNull();
    expect(validCached(entry)).toEqual(entry);
  });
});
