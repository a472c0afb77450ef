import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../server/cli.js';
import { startFakeOpenAI, type FakeServer } from '../llm/fake-openai.js';

// `replaylab diagnose --explain` against a loopback OpenAI-compatible server.
const LOG = [
  '  File "train.py", line 140, in train_step',
  '    loss.backward()',
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.06 GiB is free. Including non-PyTorch memory, this process has 78.08 GiB memory in use.',
  'HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123456789AB python train.py',
].join('\n');

let server: FakeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

async function cli(args: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdin: Readable.from([Buffer.from(LOG)]), stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env });
  return { code, stdout, stderr };
}

describe('replaylab diagnose --explain', () => {
  it('adds the model\'s schema-bound explanation beside the rule diagnosis, and sends no secret', async () => {
    server = await startFakeOpenAI(() => ({ content: JSON.stringify({
      root_cause: 'The step needs more memory than is free.', failure_category: 'batch_too_large_runtime',
      explanation: 'Line 3: 2 GiB requested with 1.06 GiB free.', recommended_fix: 'Lower batch_size.', confidence: 0.7,
    }) }));
    const r = await cli(['diagnose', '--json', '--explain', '-'], { LLM_BASE_URL: server.baseUrl, LLM_API_KEY: 'k' });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.category).toBe('batch_too_large_runtime');
    expect(out.explanation).toMatchObject({ source: 'llm', category: 'batch_too_large_runtime', agrees: true, cached: false });
    expect(server.requests.map((q) => q.raw).join('\n')).not.toContain('hf_abcdefghijklmnopqrstuvwxyz0123456789AB');
  });

  it('without an endpoint, says why there is no explanation and still diagnoses', async () => {
    const r = await cli(['diagnose', '--explain', '-'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('batch_too_large_runtime');
    expect(r.stdout).toMatch(/Explanation: none \(no LLM endpoint configured/);
  });
});
