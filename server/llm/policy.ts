/** What the model's answer may change. The rules' category stands unless the model picked one of
 * the alternatives the rules also weighed AND cites the evidence; an unsafe recommendation, or one
 * that names no parameter we know, is shown but never adopted as the fix. Pure functions. */
import { normalizeKey } from '../diagnosis/run-config.js';
import type { Diagnosis } from '../diagnosis/types.js';
import { redact } from '../redact/redact.js';
import type { Answer } from './schema.js';

export interface Agreement { agrees: boolean; categoryStands: 'rules' | 'model' }
export interface FixReview { adopted: boolean; reason: string | null }
type Said = Pick<Answer, 'failure_category' | 'root_cause' | 'explanation' | 'recommended_fix'>;

export function decideAgreement(d: Diagnosis, answer: Said): Agreement {
  if (answer.failure_category === d.category) return { agrees: true, categoryStands: 'rules' };
  const weighed = d.alternatives.some((a) => a.category === answer.failure_category);
  const text = [answer.root_cause, answer.explanation, answer.recommended_fix].join('\n');
  return { agrees: false, categoryStands: weighed && citesEvidence(d, text) ? 'model' : 'rules' };
}

const LINE_REF = /\blines?\s{0,3}#?\s{0,3}(\d{1,7})(?:\s{0,3}(?:-|–|,|and|to)\s{0,3}(\d{1,7}))?/gi;
const QUOTE = /["'`“‘«]([^"'`”’»\n]{12,300})["'`”’»]/g;
const squash = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** True when the text cites an evidence line by number ("line 11") or quotes one (12+ characters,
 * compared with the line as the model saw it, redacted, and as logged). */
export function citesEvidence(d: Diagnosis, text: string): boolean {
  const lines = new Set(d.evidence.map((e) => e.line));
  for (const m of text.matchAll(LINE_REF)) {
    if (lines.has(Number(m[1])) || (m[2] !== undefined && lines.has(Number(m[2])))) return true;
  }
  const bodies = d.evidence.flatMap((e) => [squash(e.text), squash(redact(e.text, { homePaths: true, hostnames: true }).text)]);
  for (const m of text.matchAll(QUOTE)) {
    const quote = squash(m[1]);
    if (bodies.some((b) => b.includes(quote))) return true;
  }
  return false;
}

interface UnsafeRule { name: string; re: RegExp; allowed?: (d: Diagnosis) => boolean }

/** A GPU of the RDNA families (gfx10xx-gfx12xx), where the rules themselves may set the override. */
const isRdna = (d: Diagnosis) =>
  /^gfx1[0-2][0-9a-f]{1,2}/.test(String(d.facts.gfx_target ?? '')) || d.fix?.env.HSA_OVERRIDE_GFX_VERSION !== undefined;

/** Reviewed list: each one turns a refusal into silent damage or a security hole. */
export const UNSAFE_FIXES: readonly UnsafeRule[] = [
  { name: 'VLLM_ALLOW_LONG_MAX_MODEL_LEN (runs positions the model was never trained on)', re: /VLLM_ALLOW_LONG_MAX_MODEL_LEN/i },
  { name: '--force', re: /(?<![\w-])--force(?![\w-])/ },
  { name: 'rm -rf', re: /\brm\s{1,4}-[a-z]{0,4}(?:r[a-z]{0,4}f|f[a-z]{0,4}r)/i },
  { name: 'disabling safety checks', re: /\b(?:disabl|skip|bypass|turn(?:ing)? off|ignor)\w{0,5}\s{1,3}(?:the\s{1,3}|all\s{1,3}|any\s{1,3})?(?:safety|sanity|security|validation|integrity)\b/i },
  { name: 'HSA_OVERRIDE_GFX_VERSION on a GPU that is not RDNA', re: /HSA_OVERRIDE_GFX_VERSION/i, allowed: isRdna },
  { name: 'trust_remote_code (runs code from the model repository)', re: /trust[-_]remote[-_]code/i },
  { name: 'turning off TLS verification', re: /--no-check-certificate|--insecure\b|verify\s{0,3}=\s{0,3}False|PYTHONHTTPSVERIFY\s{0,3}=\s{0,3}0/i },
  { name: 'chmod 777', re: /\bchmod\s{1,4}(?:-R\s{1,4})?0?777\b/ },
  { name: 'piping a download into a shell', re: /\b(?:curl|wget)\b[^\n|]{0,200}\|\s{0,3}(?:sudo\s{1,3})?(?:ba|z)?sh\b/ },
];

/** Parameters and variables the planner and the run configs use (normalised names). */
export const KNOWN_PARAMS: ReadonlySet<string> = new Set([
  'max_model_len', 'gpu_memory_utilization', 'tensor_parallel_size', 'pipeline_parallel_size', 'max_num_seqs',
  'max_num_batched_tokens', 'enforce_eager', 'dtype', 'quantization', 'kv_cache_dtype', 'swap_space', 'cpu_offload_gb',
  'enable_chunked_prefill', 'block_size', 'max_batch_prefill_tokens', 'max_total_tokens', 'max_input_tokens',
  'batch_size', 'gradient_accumulation_steps', 'gradient_checkpointing', 'learning_rate', 'max_grad_norm',
  'mixed_precision', 'bf16', 'fp16', 'num_workers', 'shm_size', 'device_map', 'low_cpu_mem_usage', 'load_in_4bit',
  'load_in_8bit', 'port', 'timeout', 'devices', 'gpu_split', 'attention_backend',
  'cuda_visible_devices', 'hip_visible_devices', 'pytorch_cuda_alloc_conf', 'pytorch_hip_alloc_conf', 'nccl_socket_ifname',
  'nccl_debug', 'nccl_ib_disable', 'nccl_p2p_disable', 'nccl_timeout', 'hf_token', 'hf_hub_offline', 'hf_hub_download_timeout',
  'hf_hub_etag_timeout', 'vllm_attention_backend', 'cuda_launch_blocking', 'hsa_override_gfx_version', 'tokenizers_parallelism',
]);

const CANDIDATES = [
  /--([A-Za-z][A-Za-z0-9_-]{1,60})/g, // flags
  /\b([A-Za-z][A-Za-z0-9]{0,30}(?:_[A-Za-z0-9]{1,30}){1,8})\b/g, // snake_case and ENV_NAMES
  /\b([a-z]{1,30}(?:[A-Z][a-z0-9]{1,30}){1,8})\b/g, // camelCase
  /\b([a-z][a-z0-9]{1,30})\s{0,2}[=:]\s{0,2}[\w.'"]/g, // port=8001, dtype: float16
];

/** The parameters a recommendation names that we know (the rules' own fix counts). */
export function namedParams(d: Diagnosis, text: string): string[] {
  const known = new Set(KNOWN_PARAMS);
  for (const c of d.fix?.changes ?? []) known.add(normalizeKey(c.param));
  for (const k of Object.keys(d.fix?.env ?? {})) known.add(normalizeKey(k));
  const found = new Set<string>();
  for (const re of CANDIDATES) for (const m of text.matchAll(re)) if (known.has(normalizeKey(m[1]))) found.add(normalizeKey(m[1]));
  return [...found];
}

export function reviewFix(d: Diagnosis, recommendation: string): FixReview {
  if (!recommendation.trim()) return { adopted: false, reason: 'the model recommended no change' };
  const unsafe = UNSAFE_FIXES.find((r) => r.re.test(recommendation) && !r.allowed?.(d));
  if (unsafe) return { adopted: false, reason: `not adopted: it recommends ${unsafe.name}` };
  if (namedParams(d, recommendation).length === 0) return { adopted: false, reason: 'not adopted: it names no parameter ReplayLab knows' };
  return { adopted: true, reason: null };
}
