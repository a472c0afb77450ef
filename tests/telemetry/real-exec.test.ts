import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createExec, describeDetection, detectGpu, startSampler } from '../../server/telemetry/index.js';
import { FIXTURES, mib, sleep } from './helpers.js';

/** Each test gets a folder of fake tools and a real exec whose PATH is only that folder, so a real
 * nvidia-smi on the machine is never found. The scripts set their own PATH for cat and sleep. */
const roots: string[] = [];
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

function toolDir(tools: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'replaylab-smi-'));
  roots.push(dir);
  for (const [name, body] of Object.entries(tools)) {
    writeFileSync(join(dir, name), `#!/bin/sh\nPATH=/usr/bin:/bin\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return { dir, exec: createExec({ env: { PATH: dir } }) };
}

const cat = (name: string) => `cat '${join(FIXTURES, name)}'`;

/** Dead or a zombie waiting for init to reap it (Linux /proc). */
function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

describe('the real exec', () => {
  it('a missing program is "not found", not a throw', async () => {
    const { exec } = toolDir({});
    expect(await exec('nvidia-smi', [], { timeoutMs: 2000 })).toEqual({ code: null, stdout: '', stderr: '', error: 'not found' });
  });

  it('passes arguments as they are (no shell) and returns exit code, stdout and stderr', async () => {
    const { exec } = toolDir({ echoargs: `printf '%s\\n' "$@"; echo oops >&2; exit 3` });
    const r = await exec('echoargs', ['a b', '$(echo hi)', '; ls'], { timeoutMs: 2000 });
    expect(r).toEqual({ code: 3, stdout: 'a b\n$(echo hi)\n; ls\n', stderr: 'oops\n' });
  });

  it('a hanging tool returns at about the timeout, and its children are killed too', async () => {
    const { dir, exec } = toolDir({ 'nvidia-smi': `sleep 30 & echo $! > "$0.pid"\nwait` });
    const started = performance.now();
    const r = await exec('nvidia-smi', [], { timeoutMs: 300 });
    const ms = performance.now() - started;
    expect(r).toEqual({ code: null, stdout: '', stderr: '', error: 'timed out after 300 ms' });
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3000);
    const pidFile = join(dir, 'nvidia-smi.pid');
    expect(existsSync(pidFile)).toBe(true);
    if (existsSync('/proc')) {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      for (let i = 0; i < 20 && !isGone(pid); i++) await sleep(50);
      expect(isGone(pid)).toBe(true);
    }
  });

  it('output past maxBuffer kills the program', async () => {
    const exec = createExec({ env: { PATH: '/usr/bin:/bin' }, maxBuffer: 1000 });
    const r = await exec('head', ['-c', '100000', '/dev/zero'], { timeoutMs: 5000 });
    expect(r.code).toBeNull();
    expect(r.error).toBe('output over 1000 bytes');
  });

  it('a file that is not executable is reported, not thrown', async () => {
    const { dir, exec } = toolDir({});
    writeFileSync(join(dir, 'rocm-smi'), '#!/bin/sh\n');
    const r = await exec(join(dir, 'rocm-smi'), [], { timeoutMs: 2000 });
    expect(r).toMatchObject({ code: null, error: 'not executable' });
  });
});

describe('detectGpu and the sampler with fake tools on PATH', () => {
  it('nvidia-smi exits 9 (driver gone) → amd-smi finds the GPUs, with names', async () => {
    const { exec } = toolDir({
      'nvidia-smi': `${cat('nvidia-smi-driver-failed.txt')}; exit 9`,
      'amd-smi': `case "$1" in metric) ${cat('amd-smi-mem-list.json')};; static) ${cat('amd-smi-asic-list.json')};; *) exit 2;; esac`,
    });
    const d = await detectGpu(exec);
    expect(d).toEqual({
      found: true, tool: 'amd-smi', vendor: 'amd',
      gpus: [{ index: 0, name: 'AMD Instinct MI300X', vramTotalGiB: mib(196592) }, { index: 1, name: 'AMD GPU 1', vramTotalGiB: mib(196592) }],
    });
  });

  it('nothing installed → the three reasons', async () => {
    const { exec } = toolDir({});
    expect(describeDetection(await detectGpu(exec))).toBe('no GPU: nvidia-smi, amd-smi and rocm-smi not found');
  });

  it('hanging tools cost about one timeout each', async () => {
    const { exec } = toolDir({ 'nvidia-smi': 'sleep 30', 'rocm-smi': 'sleep 30' });
    const started = performance.now();
    const d = await detectGpu(exec, { timeoutMs: 300 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(d).toEqual({
      found: false,
      tried: [
        { tool: 'nvidia-smi', reason: 'timed out after 300 ms' },
        { tool: 'amd-smi', reason: 'not found' },
        { tool: 'rocm-smi', reason: 'timed out after 300 ms' },
      ],
    });
  });

  it('rocm-smi printing text instead of JSON is still read', async () => {
    const { exec } = toolDir({ 'rocm-smi': cat('rocm-smi-product.txt') });
    expect(describeDetection(await detectGpu(exec))).toBe('AMD Instinct MI300X OAM (191.7 GiB) via rocm-smi');
  });

  it('the sampler runs the tool for its GPU (-i 1) and records its memory', async () => {
    const { exec } = toolDir({
      'nvidia-smi': `case "$*" in *"-i 1") echo '1, NVIDIA H200, 20480, 143771, 50, 300.00, 50';; *) exit 2;; esac`,
    });
    const sampler = startSampler({ exec, tool: 'nvidia-smi', gpuIndex: 1, intervalMs: 50 });
    await sleep(400);
    const samples = await sampler.stop();
    expect(sampler.failures).toBe(0);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples[0]).toEqual({ t_ms: expect.any(Number), vram_used_gib: 20, vram_total_gib: 140.401, source: 'nvidia-smi' });
  });
});
