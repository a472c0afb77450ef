import fc from 'fast-check';
import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { PATTERNS, redact, type RedactOptions } from '../../server/redact/redact.js';

const ALL: RedactOptions = { emails: true, homePaths: true, hostnames: true };
const HF = 'hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789';
const GHP = 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789';
const SK = 'sk-proj-Ab3dEf_gH1jK-lMn0pQrStUvWxYz0123456789';

describe('secrets with a known shape', () => {
  it.each([
    [`export HF_TOKEN=${HF}`, 'export HF_TOKEN=[REDACTED:hf_token]', 'hf_token'],
    ['api_org_aBcDeFgHiJkLmNoPqRsTuVwXyZ01234567', '[REDACTED:hf_token]', 'hf_token'],
    [`OPENAI_API_KEY=${SK}`, 'OPENAI_API_KEY=[REDACTED:openai_key]', 'openai_key'],
    ['key sk-aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijkl', 'key [REDACTED:openai_key]', 'openai_key'],
    [`git remote: ${GHP}`, 'git remote: [REDACTED:github_token]', 'github_token'],
    ['gho_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 ghs_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', '[REDACTED:github_token] [REDACTED:github_token]', 'github_token'],
    ['github_pat_11ABCDEFG0_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', '[REDACTED:github_token]', 'github_token'],
    ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'aws_access_key_id = [REDACTED:aws_access_key]', 'aws_access_key'],
    ['ASIAIOSFODNN7EXAMPLE', '[REDACTED:aws_access_key]', 'aws_access_key'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = [REDACTED:aws_secret_key]', 'aws_secret_key'],
    ['curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.Zm9vYmFy1"', 'curl -H "Authorization: Bearer [REDACTED:bearer_token]"', 'bearer_token'],
    ['pip install git+https://alice:s3cr3t@git.example.com/org/repo', 'pip install git+https://alice:[REDACTED:url_password]@git.example.com/org/repo', 'url_password'],
    ['REDIS_URL=redis://:pw@cache:6379/0', 'REDIS_URL=redis://:[REDACTED:url_password]@cache:6379/0', 'url_password'],
  ])('%s', (input, expected, kind) => {
    const out = redact(input);
    expect(out.text).toBe(expected);
    expect(out.redactions.map((r) => r.kind)).toEqual([kind]);
  });

  it('redacts a whole PEM private key block, across lines', () => {
    const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\nAAAAMwAAAAtzc2g=\n-----END OPENSSH PRIVATE KEY-----';
    expect(redact(`key:\n${pem}\nnext line`).text).toBe('key:\n[REDACTED:private_key]\nnext line');
  });

  it('redacts a truncated PEM key up to the first line that is not base64', () => {
    const out = redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nq1w2e3r4==\nTraceback (most recent call last):');
    expect(out.text).toBe('[REDACTED:private_key]\nTraceback (most recent call last):');
  });
});

describe('labelled values', () => {
  it.each([
    ['password: hunter2', 'password: [REDACTED:generic_secret]'],
    ['DB_PASSWORD=correct-horse', 'DB_PASSWORD=[REDACTED:generic_secret]'],
    ['{"api_key": "abc123xyz", "n": 1}', '{"api_key": "[REDACTED:generic_secret]", "n": 1}'],
    ["{'hf_token': 'mytoken123'}", "{'hf_token': '[REDACTED:generic_secret]'}"],
    ['vllm serve m --hf-token xyz123 --port 8000', 'vllm serve m --hf-token [REDACTED:generic_secret] --port 8000'],
    ['--api_key=abc', '--api_key=[REDACTED:generic_secret]'],
    ['GET /v1/models?token=abcdef&limit=5', 'GET /v1/models?token=[REDACTED:generic_secret]&limit=5'],
    ['client_secret: "s3cr3t"', 'client_secret: "[REDACTED:generic_secret]"'],
    [`HUGGING_FACE_HUB_TOKEN="${HF}"`, 'HUGGING_FACE_HUB_TOKEN="[REDACTED:hf_token]"'],
  ])('%s', (input, expected) => {
    expect(redact(input).text).toBe(expected);
  });

  it.each([
    "{'hf_token': None, 'api_key': None, 'use_auth_token': False}",
    'token = kwargs.pop("token", None)',
    '    token=self.token, use_auth_token=use_auth_token,',
    '    password = getpass.getpass()',
    '    token: Optional[str] = None,',
    'tokenizer.pad_token = tokenizer.eos_token; pad_token=<pad> eos_token: "</s>"',
    '-e HF_TOKEN=$HF_TOKEN -e OPENAI_API_KEY=${OPENAI_API_KEY}',
    'password: ******** token: ""',
    'vllm serve m --use-auth-token --max-model-len 4096',
    'Bearer authentication required; Authorization: Bearer $TOKEN',
    'Token is valid (permission: read). Your token has been saved to /root/.cache/huggingface/token',
    'next_token=1234 token == expected',
  ])('keeps placeholders and code: %s', (line) => {
    expect(redact(line, ALL)).toEqual({ text: line, redactions: [] });
  });
});

describe('personal details', () => {
  it('redacts e-mail addresses by default, and can keep them', () => {
    expect(redact('wandb: logged in as alice.smith+gpu@example.co.uk').text).toBe('wandb: logged in as [REDACTED:email]');
    expect(redact('alice@example.com', { emails: false }).text).toBe('alice@example.com');
    expect(redact('Cloning git@github.com:org/repo.git').text).toBe('Cloning git@github.com:org/repo.git');
  });

  it('replaces home directory user names only when asked', () => {
    const line = 'File "/home/alice/train.py", line 3; /Users/bob/x; C:\\Users\\Carol\\y; "C:\\\\Users\\\\dan\\\\z"';
    expect(redact(line).text).toBe(line);
    const out = redact(line, { homePaths: true });
    expect(out.text).toBe('File "/home/<user>/train.py", line 3; /Users/<user>/x; C:\\Users\\<user>\\y; "C:\\\\Users\\\\<user>\\\\z"');
    expect(out.redactions).toEqual([{ kind: 'home_path', count: 4 }]);
    expect(redact('see https://example.com/home/page', ALL).text).toBe('see https://example.com/home/page');
  });

  it('replaces hostnames in shell prompts only when asked', () => {
    const log = 'root@1a89b5aa5fce:/workspace# python train.py\nuser@gpu-node-17:~$ nvidia-smi\n[bob@node3 data]$ ls';
    expect(redact(log).text).toBe(log);
    expect(redact(log, { hostnames: true }).text).toBe('root@<host>:/workspace# python train.py\nuser@<host>:~$ nvidia-smi\n[bob@<host> data]$ ls');
  });

  it('counts per kind, in a stable order', () => {
    const out = redact(`a@b.org ${HF} password=x c@d.org ${GHP} /home/eve/ ${HF}`, ALL);
    expect(out.redactions).toEqual([
      { kind: 'hf_token', count: 2 }, { kind: 'github_token', count: 1 }, { kind: 'generic_secret', count: 1 },
      { kind: 'email', count: 2 }, { kind: 'home_path', count: 1 },
    ]);
  });
});

const ORDINARY = [
  'torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.25 GiB of which 1.02 GiB is free.',
  '(EngineCore_DP0 pid=1034) INFO 05-07 03:20:44 [gpu_model_runner.py:4364] Model loading took 14.35 GiB memory',
  'sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  'botocore.exceptions.ClientError: An error occurred (AccessDenied). Request ID: Root=1-695139c1-20c276683bbfa05022511a7b',
  'request_id=3f2b8c1e-9d4a-4e6b-8f7a-2c1d0e9b8a7f',
  'Downloading https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct/resolve/main/config.json',
  '[2026-12-04 20:01:02,123] [INFO] [logging.py:96:log_dist] [Rank 0] step=10, skipped=0, lr=[1.000e-04]',
  'task-key=abc max_num_batched_tokens=8192 max_tokens: 512',
  "non-default args: {'model': 'Qwen/Qwen2.5-7B', 'hf_overrides': None, 'tokenizer': 'Qwen/Qwen2.5-7B'}",
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3.10/site-packages/transformers/tokenization_utils_base.py", line 2020, in from_pretrained',
  '    raise ValueError(f"Invalid token: {e}")',
  'huggingface_hub.errors.GatedRepoError: 401 Client Error. Cannot access gated repo for url https://huggingface.co/api/models/x.',
  'node03:1203:1290 [3] NCCL INFO Channel 07/0 : 3[3] -> 4[4] via P2P/IPC/read',
  '(APIServer pid=972) INFO:     10.0.3.21:40321 - "POST /v1/chat/completions HTTP/1.1" 200 OK',
  'Epoch 0:  42%|████▌     | 4200/10000 [12:34<15:21,  5.97it/s, loss=1.42, v_num=0]',
  'export CUDA_VISIBLE_DEVICES=0,1 && torchrun --nproc_per_node=2 train.py --disk-cache-dir /tmp/x',
  'docker pull nvcr.io/nvidia/pytorch@sha256:4f3b2a1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a',
  '    out = x @ self.weight.T',
];

describe('ordinary log content', () => {
  it.each(ORDINARY)('survives unchanged: %s', (line) => {
    expect(redact(line, ALL)).toEqual({ text: line, redactions: [] });
  });

  it('processes 10 MB of ordinary log unchanged', () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 10 * 1024 * 1024; i++) {
      const line = `${ORDINARY[i % ORDINARY.length]} #${i}`;
      parts.push(line);
      size += line.length + 1;
    }
    const log = parts.join('\n');
    const out = redact(log, ALL);
    expect(out.redactions).toEqual([]);
    expect(out.text === log).toBe(true);
  });
});

describe('robustness', () => {
  it('is idempotent', () => {
    const log = [
      `HF_TOKEN=${HF} "api_key": "abc" https://u:p@h.io/x Authorization: Bearer abc123456789`,
      `-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY----- ${SK} AKIAIOSFODNN7EXAMPLE`,
      'password: [x] root@box:~$ cat /home/al/.netrc a@b.io --token t0k aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    ].join('\n');
    const once = redact(log, ALL).text;
    expect(once).not.toBe(log);
    expect(redact(once, ALL)).toEqual({ text: once, redactions: [] });
  });

  // a per-BEGIN rescan to the end of the text took 80 s here: the test timeout is the check
  it('handles 10 MB of PEM headers that never end', () => {
    const junk = '-----BEGIN PRIVATE KEY-----'.repeat(400_000);
    expect(redact(junk).redactions).toEqual([{ kind: 'private_key', count: 400_000 }]);
  });

  it('never lets a generated hf_/ghp_/AKIA token survive, whatever surrounds it', () => {
    const chars = (alphabet: string, min: number, max: number) =>
      fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
    const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
    const token = fc.oneof(
      chars(alnum, 30, 40).map((s) => `hf_${s}`),
      chars(alnum, 36, 40).map((s) => `ghp_${s}`),
      chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16, 16).map((s) => `AKIA${s}`),
    );
    const ascii = fc.string({ unit: 'binary-ascii', maxLength: 60 });
    fc.assert(
      fc.property(ascii, token, ascii, fc.boolean(), (before, tok, after, all) => {
        expect(redact(`${before}${tok}${after}`, all ? ALL : {}).text).not.toContain(tok);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(PATTERNS.map((re) => [re.source, re] as const))('regex is not vulnerable to ReDoS: %s', (_src, re) => {
    const result = checkSync(re.source, re.flags, { timeout: 10_000 });
    expect(result.status, `${re.source}: ${JSON.stringify(result)}`).not.toBe('vulnerable');
  });
});
