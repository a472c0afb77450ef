/** Nothing secret leaves the process: a log, a config and a diagnosis full of secrets are explained
 * against the loopback server, and every byte it received is searched for them. */
import { afterEach, describe, expect, it } from 'vitest';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import type { Diagnosis } from '../../server/diagnosis/types.js';
import { memoryCache } from '../../server/llm/cache.js';
import { explainDiagnosis } from '../../server/llm/explain.js';
import { buildPrompt } from '../../server/llm/prompt.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';
import { startFakeOpenAI, type FakeServer } from './fake-openai.js';

const SECRETS = {
  hf: 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
  openai: 'sk-proj-Abc123def456GHI789jkl012MNO345pqr',
  github: 'ghp_1234567890abcdefghijABCDEFGHIJ123456',
  awsAccess: 'AKIAIOSFODNN7EXAMPL3',
  awsSecret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N',
  urlPassword: 'S3cr3tPassw0rd!',
  email: 'alice.smith@example.com',
  user: 'alicesmith',
  host: 'gpu-node-17a',
} as const;

/** The OOM line the rules match, with secrets on it and on the lines around it. */
const LOG = [
  'starting training run',
  `export HF_TOKEN=${SECRETS.hf} OPENAI_API_KEY=${SECRETS.openai}`,
  `git clone https://x-access-token:${SECRETS.github}@github.com/org/repo /home/${SECRETS.user}/repo`,
  `aws_access_key_id=${SECRETS.awsAccess} aws_secret_access_key=${SECRETS.awsSecret}`,
  `curl -H "Authorization: Bearer ${SECRETS.bearer}" https://trainer:${SECRETS.urlPassword}@db.internal:5432/metrics # ${SECRETS.email}`,
  `[rank0]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.15 GiB of which 1.06 GiB is free. token=${SECRETS.hf} owner ${SECRETS.email}`,
  `[rank0]: while running /home/${SECRETS.user}/train.py with key ${SECRETS.openai}`,
  `root@${SECRETS.host}:~# notify ${SECRETS.email} Bearer ${SECRETS.bearer} ghp ${SECRETS.github}`,
  'E0507 03:21:14.118000 812 torch/distributed/elastic/multiprocessing/api.py:869] failed (exitcode: 1)',
].join('\n');

const CONFIG = {
  command: `HF_TOKEN=${SECRETS.hf} python /home/${SECRETS.user}/train.py --batch-size 64 --api-key ${SECRETS.openai}`,
  env: { AWS_SECRET_ACCESS_KEY: SECRETS.awsSecret, GITHUB_TOKEN: SECRETS.github },
  database_url: `postgres://trainer:${SECRETS.urlPassword}@db.internal/runs`,
  contact: SECRETS.email,
};

const tax = builtinTaxonomy();
const ids = tax.patterns.map((p) => p.id);
let server: FakeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

function leaks(text: string): string[] {
  return Object.entries(SECRETS).filter(([, secret]) => text.includes(secret)).map(([name]) => name);
}

describe('redaction before anything is sent', () => {
  it('the test log really carries every secret near the evidence', () => {
    const d = diagnoseText(tax, LOG, CONFIG);
    expect(d.evidence.map((e) => e.line)).toContain(6);
    expect(leaks(LOG).sort()).toEqual(Object.keys(SECRETS).sort());
  });

  it('no secret from the log, the config or the diagnosis reaches the server', async () => {
    const d = diagnoseText(tax, LOG, CONFIG);
    // the rule engine's own fields may quote secrets too (a root cause quoting a line, a fact, a fix command)
    const loaded: Diagnosis = {
      ...d,
      root_cause: `${d.root_cause} (line 6: ${LOG.split('\n')[5].slice(0, 200)})`,
      facts: { ...d.facts, hub_repo: `user ${SECRETS.email} token ${SECRETS.hf}` },
      fix: d.fix && { ...d.fix, command: `${CONFIG.command} --batch-size 32`, env: { HF_TOKEN: SECRETS.hf } },
    };
    const answer = { root_cause: 'r', failure_category: d.category, explanation: 'e', recommended_fix: 'batch_size 32', confidence: 0.5 };
    server = await startFakeOpenAI(() => ({ content: JSON.stringify(answer) }));
    const config = { baseUrl: server.baseUrl, model: 'm', apiKey: 'server-key', timeoutMs: 5000 };
    const result = await explainDiagnosis(loaded, { log: LOG, config: CONFIG }, { config, taxonomyIds: ids, cache: memoryCache() });
    expect(result.source).toBe('llm');
    expect(server.requests).toHaveLength(1);
    for (const req of server.requests) {
      const sent = req.raw + JSON.stringify(req.headers) + req.url;
      expect(leaks(sent)).toEqual([]);
      // the lines were sent, with markers where the secrets were
      const prompt = req.body.messages[1].content as string;
      for (const kind of ['hf_token', 'openai_key', 'github_token', 'aws_access_key', 'aws_secret_key', 'bearer_token', 'url_password', 'email']) {
        expect(prompt).toContain(`[REDACTED:${kind}]`);
      }
      expect(prompt).toContain('/home/<user>/');
      expect(prompt).toContain('root@<host>:~#');
      expect(prompt).toMatch(/> 6 \| \[rank0\]: torch\.OutOfMemoryError/);
    }
  });

  it('a secret cut by a clip is still redacted (the clip comes after the redactor)', () => {
    const line = `[rank0]: torch.OutOfMemoryError: CUDA out of memory. ${'x'.repeat(130)} ${SECRETS.hf}`;
    expect(line.slice(0, 200)).toContain(SECRETS.hf.slice(0, 12)); // the clip cuts the token
    const d = diagnoseText(tax, line);
    const { messages } = buildPrompt({ ...d, root_cause: `OOM (line 1: ${line.slice(0, 200)})` }, { log: line });
    const text = messages.map((m) => m.content).join('\n');
    expect(text).not.toContain(SECRETS.hf.slice(0, 12));
    expect(text).not.toContain(SECRETS.hf);
  });
});
