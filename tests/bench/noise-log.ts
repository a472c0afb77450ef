import { createWriteStream, existsSync, statSync } from 'node:fs';

/** Writes a realistic healthy log of `bytes` bytes — vLLM serving metrics and access lines, NCCL
 * start-up chatter, DeepSpeed/HF training progress with tqdm bars — with `failure` at the end. */
export async function writeNoiseLog(path: string, bytes: number, failure: string): Promise<void> {
  if (existsSync(path) && statSync(path).size >= bytes) return;
  const out = createWriteStream(path);
  let written = 0;
  let n = 0;
  const ts = (i: number) => `12-04 ${String(10 + ((i / 3600) % 12 | 0)).padStart(2, '0')}:${String((i / 60) % 60 | 0).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
  const lines = (i: number): string[] => [
    `(APIServer pid=2150) INFO ${ts(i)} [loggers.py:123] Engine 000: Avg prompt throughput: ${(i % 997) + 0.5} tokens/s, Avg generation throughput: ${(i % 2311) + 0.2} tokens/s, Running: ${i % 64} reqs, Waiting: 0 reqs, GPU KV cache usage: ${(i % 100) / 10}%, Prefix cache hit rate: ${(i % 1000) / 10}%`,
    `(APIServer pid=2150) INFO:     10.0.${i % 255}.${(i * 7) % 255}:${40000 + (i % 20000)} - "POST /v1/chat/completions HTTP/1.1" 200 OK`,
    `node0${i % 8}:${1200 + (i % 50)}:${1290 + (i % 30)} [${i % 8}] NCCL INFO Channel ${String(i % 32).padStart(2, '0')}/0 : ${i % 8}[${i % 8}] -> ${(i + 1) % 8}[${(i + 1) % 8}] via P2P/IPC/read`,
    `[2026-12-04 20:${String((i / 60) % 60 | 0).padStart(2, '0')}:${String(i % 60).padStart(2, '0')},${i % 1000}] [INFO] [logging.py:96:log_dist] [Rank 0] step=${i}, skipped=0, lr=[${(1e-4 * (1 - i / 1e7)).toExponential(3)}], mom=[(0.9, 0.999)]`,
    `{'loss': ${(2 - (i % 1000) / 1000).toFixed(4)}, 'grad_norm': ${((i % 97) / 100 + 0.3).toFixed(3)}, 'learning_rate': ${(2e-5 * (1 - (i % 5000) / 5000)).toExponential(4)}, 'epoch': ${(i / 20000).toFixed(2)}}`,
    `Epoch ${(i / 10000) | 0}:  ${i % 100}%|████▌     | ${i % 10000}/10000 [12:34<15:21,  5.97it/s, loss=${(1 + (i % 100) / 100).toFixed(2)}, v_num=0]`,
    `(EngineCore_DP0 pid=2211) DEBUG ${ts(i)} [scheduler.py:512] scheduled ${i % 128} requests, ${(i * 13) % 8192} tokens, preempted 0`,
  ];
  while (written < bytes) {
    const chunk: string[] = [];
    let size = 0;
    while (size < 1 << 20) {
      for (const l of lines(n++)) { chunk.push(l); size += l.length + 1; }
    }
    const text = `${chunk.join('\n')}\n`;
    written += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.write(failure);
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
}

/** The failure a 100 MB run ends with: vLLM's KV-cache start-up failure, as vLLM 0.1x prints it. */
export const KV_FAILURE = [
  "(EngineCore_DP0 pid=2211) INFO 12-04 20:59:52 [gpu_worker.py:424] Available KV cache memory: -1.84 GiB",
  '(EngineCore_DP0 pid=2211) ERROR 12-04 20:59:52 [core.py:1100] EngineCore failed to start.',
  '(EngineCore_DP0 pid=2211) ERROR 12-04 20:59:52 [core.py:1100] ValueError: No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when initializing the engine.',
  '(APIServer pid=2150) RuntimeError: Engine core initialization failed. See root cause above. Failed core proc(s): {}',
  '',
].join('\n');
