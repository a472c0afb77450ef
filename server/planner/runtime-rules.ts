import type { FixChange } from '../diagnosis/types.js';
import { fmt, num, type PlanResult, type PlanRule } from './types.js';

/** port_in_use: which port, and whose knob. The planner cannot know what is free on the machine
 * that crashed; `replaylab run` probes locally, here we propose the next port and say how to check. */
export const freePort: PlanRule = (ctx) => {
  const port = num(ctx.facts.port) ?? num(ctx.config.values.port) ?? num(ctx.config.values.master_port);
  const text = ctx.text;
  const rendezvous = /TCPStore|rendezvous|c10d|MASTER_PORT|29500|torch\.distributed/i.test(text) || port === 29500;
  const vllmInternal = /get_open_port|zmq|VLLM_PORT/i.test(text);
  const param = vllmInternal ? 'VLLM_PORT' : rendezvous ? 'MASTER_PORT' : 'port';
  const to = port ? port + 1 : rendezvous ? 29501 : 8001;
  const check = port ? `\`ss -ltnp | grep :${port}\` shows who holds ${port}` : 'the log does not name the port';
  return {
    rootCause: `${port ? `Port ${port}` : 'A port'} is already taken${rendezvous ? ' (the distributed rendezvous port)' : vllmInternal ? " (one of vLLM's internal ports, often held by a leftover worker)" : ''}.`,
    summary: `Stop the process holding it, or use another port (${param}=${to}).`,
    changes: [{ param, from: port ?? null, to, why: `${check}; ${to} is the next port, free it or pick any free one` }],
    env: param === 'port' ? {} : { [param]: String(to) },
  };
};

const hms = (s: string): number => s.split(':').map(Number).reduce((a, b) => a * 60 + b, 0);
const asHms = (sec: number) => `${Math.floor(sec / 3600)}:${String(Math.floor((sec % 3600) / 60)).padStart(2, '0')}:${String(Math.floor(sec % 60)).padStart(2, '0')}`;

/** timeout: the budget that fits the load, from the measured rate, or the load that fits the budget. */
export const timeBudget: PlanRule = (ctx) => {
  const f = ctx.facts;
  const done = num(f.items_done) ?? num(f.progress_done);
  const total = num(f.items_total) ?? num(f.progress_total);
  const elapsed = num(f.elapsed_s) ?? (typeof f.progress_elapsed === 'string' ? hms(f.progress_elapsed) : undefined);
  // the knobs under the names the run's own config uses (--budget-s, --timeout-s, --prompts)
  const v = ctx.config.values;
  const budgetKey = ['time_budget_s', 'budget_s', 'timeout_s'].find((k) => num(v[k]) !== undefined) ?? 'time_budget_s';
  const itemsKey = ['items', 'prompts', 'num_prompts', 'num_samples'].find((k) => num(v[k]) !== undefined) ?? 'items';
  const budget = num(f.time_budget_s) ?? num(v[budgetKey]);
  if (done && total && elapsed && done <= total) {
    const rate = done / elapsed;
    const needed = Math.ceil((total / rate) * 1.1);
    const changes: FixChange[] = [{ param: budget ? budgetKey : 'time', from: budget ?? (f.time_limit as string) ?? null, to: budget ? needed : asHms(needed), why: `${done} of ${total} done in ${fmt(elapsed)} s = ${rate.toFixed(3)}/s; ${total} / ${rate.toFixed(3)} = ${fmt(total / rate)} s, +10% margin = ${needed} s` }];
    if (budget) changes.push({ param: itemsKey, from: total, to: Math.floor(rate * budget * 0.9), alternative: true, why: `or keep the ${budget} s budget: ${rate.toFixed(3)}/s x ${budget} s x 0.9 = ${Math.floor(rate * budget * 0.9)} items` });
    return {
      rootCause: done < total ? `The job was stopped at its time limit with ${done} of ${total} done.` : `All ${total} finished, but in ${fmt(elapsed)} s${budget ? `, past the ${budget} s budget` : ''}.`,
      summary: `Give it ${budget ? `${needed} s` : asHms(needed)} (measured rate + 10%), or less work per job; checkpoint and requeue for long jobs.`,
      changes,
    };
  }
  return {
    rootCause: 'The job hit its wall-clock limit and was killed.',
    summary: 'Raise the time limit, or split the work and checkpoint/requeue.',
    changes: [{ param: 'time', from: (f.time_limit as string) ?? null, to: 'elapsed x total/done + margin', why: 'the log has no progress figures to compute the needed time; a progress bar or item count gives it' }],
  };
};

export const ncclTransport: PlanRule = (ctx): PlanResult => {
  const text = ctx.text;
  const iface = typeof ctx.facts.interface === 'string' ? ctx.facts.interface : undefined;
  if (/ncclSystemError|NET\/Socket|socket/i.test(text) && !/Connection reset|remote process/i.test(text)) {
    const to = iface && !/^(docker|br-|veth|lo|virbr)/.test(iface) ? iface : 'the interface the nodes share (e.g. eth0, bond0, ib0)';
    return { summary: 'Pin NCCL to the network interface the nodes share.', changes: [{ param: 'NCCL_SOCKET_IFNAME', from: null, to, why: 'NCCL opened sockets on every interface, including docker bridges and veth pairs the other node cannot reach' }], env: { NCCL_SOCKET_IFNAME: to } };
  }
  if (/timeout|Watchdog/i.test(text)) {
    const ms = num(ctx.facts.nccl_timeout_ms);
    return { summary: 'A collective timed out: look for the rank that failed first; if it is only slow, raise the timeout.', changes: [{ param: 'timeout', from: ms ?? null, to: ms ? ms * 3 : 'longer than the slowest step', why: ms ? `the watchdog fired at ${ms} ms; x3 covers a slow rank, not a dead one` : 'the watchdog fired before every rank reached the collective' }] };
  }
  return { summary: 'A peer failed or the network dropped: check the first failing rank and the nodes\' NICs (NCCL_DEBUG=INFO).', changes: [{ param: 'NCCL_DEBUG', from: null, to: 'INFO', why: 'a remote rank exited or the connection was reset; the failing node/NIC shows in the INFO log' }], env: { NCCL_DEBUG: 'INFO' } };
};

export const shmSize: PlanRule = (ctx) => {
  const workers = num(ctx.config.values.num_workers);
  return {
    rootCause: 'The DataLoader workers (or NCCL) ran out of shared memory in /dev/shm (Docker and Kubernetes give 64 MB by default).',
    summary: 'Give the container a larger /dev/shm (--shm-size, or ipc=host), or use fewer DataLoader workers.',
    changes: [{ param: 'shm_size', from: '64m (container default)', to: '8g', why: 'each worker passes batches through /dev/shm; 8 GiB covers typical image batches x workers' }, ...(workers ? [{ param: 'num_workers', from: workers, to: Math.floor(workers / 2), why: 'fewer workers hold fewer batches in shared memory' }] : [])],
  };
};

export const freeDisk: PlanRule = () => ({
  summary: 'Free disk space, or write checkpoints/caches to a larger volume (output_dir, HF_HOME, TMPDIR).',
  changes: [{ param: 'output_dir', from: null, to: 'a volume with room for the checkpoints', why: 'a write failed with ENOSPC (errno 28); `df -h` shows which filesystem is full' }],
});

export const hostMemory: PlanRule = (ctx) => ({
  rootCause: 'The host ran out of RAM and the kernel killed the process (SIGKILL, exit 137); GPU memory was not the limit.',
  summary: 'Load weights straight to the GPU (device_map, low_cpu_mem_usage) and use fewer host-side workers.',
  changes: [{ param: 'device_map', from: (ctx.config.values.device_map as string) ?? null, to: 'auto', why: 'without a device_map the whole model is materialised in host RAM before moving to the GPU' }, { param: 'low_cpu_mem_usage', from: null, to: true, why: 'loads shard by shard instead of building the full model in RAM first' }],
});

export const hubOffline: PlanRule = (ctx) => ({
  rootCause: 'Downloading from the Hugging Face Hub failed or timed out (network, proxy or offline mode).',
  summary: 'Download the model once where the network works, then run offline from the local cache.',
  changes: [{ param: 'HF_HUB_OFFLINE', from: null, to: '1', why: 'with the files in HF_HOME the run does not touch the network' }, { param: 'HF_HUB_DOWNLOAD_TIMEOUT', from: num(ctx.facts.read_timeout_s) ?? 10, to: Math.max(60, (num(ctx.facts.read_timeout_s) ?? 10) * 6), why: 'the default read timeout (10 s) is short for a slow link; used only while downloading' }],
  env: { HF_HUB_OFFLINE: '1' },
});

export const hfToken: PlanRule = (ctx) => ({
  rootCause: `The Hub refused access${ctx.facts.repo_id ? ` to ${ctx.facts.repo_id}` : ''}: the repository is gated or private and the request had no token with access.`,
  summary: `Accept the model's terms on its Hub page, then set HF_TOKEN to a token of that account.`,
  changes: [{ param: 'HF_TOKEN', from: null, to: '<a read token of an account with access>', why: '401/403 from the Hub: no token, or a token without access to this repository' }],
  env: { HF_TOKEN: '<your token>' },
});

export const stabilizeTraining: PlanRule = (ctx) => {
  const v = ctx.config.values;
  const fp16 = v.fp16 === true || /float16|fp16/.test(String(v.torch_dtype ?? v.mixed_precision ?? v.dtype ?? ''));
  const lr = num(v.learning_rate) ?? num(v.lr);
  const changes: FixChange[] = [];
  if (fp16 || /loss scale/i.test(ctx.text)) changes.push({ param: 'mixed_precision', from: 'fp16', to: 'bf16', why: 'fp16 overflows past 65504 and the dynamic loss scale collapsed; bf16 has fp32\'s exponent range' });
  if (lr) changes.push({ param: 'learning_rate', from: lr, to: Number((lr / 10).toPrecision(3)), why: `one decade lower: ${lr} / 10` });
  changes.push({ param: 'max_grad_norm', from: num(v.max_grad_norm) ?? null, to: 1, why: 'clip gradients so one bad batch cannot blow up the weights' });
  return { summary: 'Stabilise training: bf16 instead of fp16, gradient clipping, a lower learning rate if it persists.', changes };
};

export const localizeFault: PlanRule = (ctx) => {
  const expr = typeof ctx.facts.assert_expr === 'string' ? ctx.facts.assert_expr : ctx.text;
  const classes = /\b(n_classes|num_classes|class_num|n_class)\b/.exec(expr);
  const changes: FixChange[] = [];
  if (classes) changes.push({ param: classes[1], from: null, to: 'the number of distinct label values', why: `the kernel asserted \`${expr.slice(0, 80)}\`: a label is >= ${classes[1]}` });
  changes.push({ param: 'CUDA_LAUNCH_BLOCKING', from: null, to: '1', why: 'kernel errors are reported asynchronously; launch blocking makes the traceback point at the failing op' });
  return {
    summary: classes ? `A label or index is out of range: make ${classes[1]} match the data.` : 'Localise the faulting kernel (CUDA_LAUNCH_BLOCKING=1) and check the indices/labels it reads.',
    changes,
    env: { CUDA_LAUNCH_BLOCKING: '1' },
  };
};
