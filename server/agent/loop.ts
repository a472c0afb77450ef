import { conclude } from '../diagnosis/diagnose.js';
import { decide } from '../diagnosis/decide.js';
import { LogScan } from '../diagnosis/log-scan.js';
import { parseRunConfig } from '../diagnosis/run-config.js';
import type { Taxonomy } from '../diagnosis/types.js';
import type { ExplanationCache } from '../llm/cache.js';
import type { LlmConfig } from '../llm/config.js';
import { applyFix } from './apply-fix.js';
import { EXPLAIN_TITLE, explainStep } from './explain-step.js';
import type { Scenario } from './scenario.js';
import type { AgentResult, ExperimentResult, Params, StepEvent, StepKind, StepProgress, StepStatus } from './types.js';
import { verify } from './verify.js';

export interface AgentDeps {
  taxonomy: Taxonomy;
  /** runs the scenario's experiment (live simulator, real command, or a replayed recording) */
  run: (params: Params, label: ExperimentResult['label']) => Promise<ExperimentResult>;
  dollarsPerGpuHour: number;
  manualDebugHours: number;
  engineerDollarsPerHour: number;
  maxAttempts?: number;
  /** the LLM sidecar; left out, or with a null config, the explain step is skipped (visibly) */
  llm?: { config: LlmConfig | null; cache: ExplanationCache };
  /** progress of a step still running (the explanation as the model writes it, same seq, status
   * 'running'): for live viewers only; the loop still yields each step once, when it ends */
  onToken?: (progress: StepProgress) => void;
}

const NO_CACHE: ExplanationCache = { get: async () => null, set: async () => undefined };

/** Failures worth one retry as-is (with back-off): the cause is outside the run's settings. */
const TRANSIENT = new Set(['port_in_use', 'tokenizer_timeout', 'nccl_error']);

/** The agent loop: one async generator of step events that every front end consumes
 * (SSE timeline, JSON events, CLI, store, report). Nothing here knows about HTTP. */
export async function* agentLoop(scenario: Scenario, params: Params, deps: AgentDeps): AsyncGenerator<StepEvent, AgentResult> {
  let seq = 0;
  const event = (kind: StepKind, title: string, status: StepStatus, startedAt: number, summary: string, detail: Record<string, unknown> = {}, evidence?: StepEvent['evidence']): StepEvent =>
    ({ seq: ++seq, kind, title, status, startedAt, durationMs: Math.round(performance.now() - startedAt), summary, detail, evidence });
  const result: AgentResult = { verdict: 'no_failure', diagnosis: null, attempts: [], baseline: null, verification: null, cost: null };

  let t = performance.now();
  const failing = await deps.run(params, 'failing');
  yield event('record', 'Run the experiment and record it', 'ok', t, `${failing.command} — exit ${failing.exitCode} after ${(failing.durationMs / 1000).toFixed(2)} s`, { run: summarize(failing) });

  t = performance.now();
  const failed = failing.exitCode !== 0;
  yield event('detect', 'Detect the failure', failed ? 'failed' : 'ok', t, failed ? `exit status ${failing.exitCode}${failing.timedOut ? ' (timed out)' : ''}: the run failed` : 'exit status 0: the run did not fail');

  t = performance.now();
  const scanned = scanOf(deps.taxonomy, failing);
  const decision = decide(deps.taxonomy, scanned);
  const firing = decision.candidates.filter((c) => c.fires).map((c) => ({ category: deps.taxonomy.patterns[c.pattern].id, score: Number(c.score.toFixed(2)), suppressed_by: c.suppressedBy }));
  yield event('match', 'Match the log against the taxonomy', 'ok', t, `${deps.taxonomy.patterns.length} patterns, ${scanned.lines} lines: ${firing.map((f) => f.category).join(', ') || 'nothing fired'}`, { candidates: firing });

  t = performance.now();
  const diagnosis = conclude(deps.taxonomy, scanned, parseRunConfig({ command: failing.command, ...scenario.context, ...params, ...failing.context }));
  result.diagnosis = diagnosis;
  yield event('diagnose', 'Diagnose the root cause', failed ? 'failed' : 'ok', t, `${diagnosis.category} (confidence ${diagnosis.confidence}): ${diagnosis.root_cause}`, { diagnosis }, diagnosis.evidence);

  t = performance.now();
  const llm = { config: deps.llm?.config ?? null, cache: deps.llm?.cache ?? NO_CACHE, taxonomyIds: deps.taxonomy.patterns.map((p) => p.id), onToken: deps.onToken };
  const explained = failed || !llm.config
    ? await explainStep(diagnosis, { log: `${failing.stderr}\n${failing.stdout}`, config: { command: failing.command, ...scenario.context, ...params, ...failing.context } }, llm, seq + 1, t)
    : { status: 'skipped' as const, summary: 'skipped: the run did not fail', detail: {} };
  yield event('explain', EXPLAIN_TITLE, explained.status, t, explained.summary, explained.detail);

  if (!failed) {
    for (const kind of ['plan', 'rerun', 'verify'] as const) yield event(kind, stepTitle(kind), 'skipped', performance.now(), 'skipped: the run did not fail');
    return yield* finish(result, event, deps, [failing]);
  }

  t = performance.now();
  let next = applyFix(params, diagnosis.fix);
  if (!next.applied.length && TRANSIENT.has(diagnosis.category)) next = { params, applied: ['(none: a transient failure is retried as it was, after a back-off)'] };
  if (!next.applied.length) {
    result.verdict = 'no_fix';
    yield event('plan', stepTitle('plan'), 'warning', t, `no change this experiment can take: ${diagnosis.fix?.summary ?? 'no fix computed'}`, { fix: diagnosis.fix });
    for (const kind of ['rerun', 'verify'] as const) yield event(kind, stepTitle(kind), 'skipped', performance.now(), 'skipped: nothing to re-run with');
    return yield* finish(result, event, deps, [failing]);
  }
  yield event('plan', stepTitle('plan'), 'ok', t, `${diagnosis.fix!.summary} — ${next.applied.join(', ')}`, { fix: diagnosis.fix, applied: next.applied });

  // Deterministic failures re-run only with a change; each failed attempt is diagnosed again.
  t = performance.now();
  let fixed: ExperimentResult | null = null;
  for (let attempt = 1; attempt <= (deps.maxAttempts ?? 3); attempt++) {
    if (next.applied[0]?.startsWith('(none')) await new Promise((r) => setTimeout(r, 200 * attempt));
    fixed = await deps.run(next.params, 'fixed');
    result.attempts.push(fixed);
    if (fixed.exitCode === 0) break;
    const again = conclude(deps.taxonomy, scanOf(deps.taxonomy, fixed), parseRunConfig({ command: fixed.command, ...scenario.context, ...next.params, ...fixed.context }));
    const further = applyFix(next.params, again.fix);
    if (!further.applied.length) break;
    next = further;
  }
  yield event('rerun', stepTitle('rerun'), fixed!.exitCode === 0 ? 'ok' : 'failed', t, `${result.attempts.length} attempt(s); last: ${fixed!.command} — exit ${fixed!.exitCode}`, { attempts: result.attempts.map(summarize) });

  t = performance.now();
  const baseline = await deps.run({ ...params, ...scenario.baseline }, 'baseline');
  result.baseline = baseline;
  result.verification = verify(scenario, fixed!, baseline, params);
  result.verdict = result.verification.recovered ? 'recovered' : 'not_recovered';
  const gaveUp = result.verification.gaveUp.map((g) => `${g.param} ${g.from} → ${g.to}`).join(', ');
  yield event('verify', stepTitle('verify'), result.verification.recovered ? 'ok' : 'failed', t,
    `${result.verification.recovered ? 'recovered' : 'not recovered'}: ${result.verification.checks.filter((c) => c.ok).length}/${result.verification.checks.length} checks hold${gaveUp ? `; gave up ${gaveUp}` : ''}`,
    { verification: result.verification, baseline: summarize(baseline) });
  return yield* finish(result, event, deps, [failing, ...result.attempts, baseline]);
}

async function* finish(result: AgentResult, event: (k: StepKind, title: string, s: StepStatus, t: number, summary: string, d?: Record<string, unknown>) => StepEvent, deps: AgentDeps, runs: ExperimentResult[]): AsyncGenerator<StepEvent, AgentResult> {
  const t = performance.now();
  // GPU time: what the runs took on the GPU (live), or what the simulator's clock says the real
  // runs would take (simulated: the CPU process's own start-up is not GPU time)
  const measured = runs.reduce((s, r) => s + r.durationMs, 0) / 1000;
  const gpuSeconds = runs.reduce((s, r) => s + (r.simulatedMs ?? r.durationMs), 0) / 1000;
  const dollars = (gpuSeconds / 3600) * deps.dollarsPerGpuHour;
  const manualDollars = deps.manualDebugHours * deps.engineerDollarsPerHour;
  result.cost = { gpuSeconds: Number(gpuSeconds.toFixed(1)), dollarsPerGpuHour: deps.dollarsPerGpuHour, dollars: Number(dollars.toFixed(4)), manualHours: deps.manualDebugHours, manualDollars };
  const simulated = runs.some((r) => r.simulatedMs !== null);
  const scale = simulated ? ` (simulated clock; the CPU simulator took ${measured.toFixed(2)} s)` : '';
  yield event('report', stepTitle('report'), 'ok', t, `verdict ${result.verdict}; ${runs.length} run(s), ${gpuSeconds.toFixed(1)} GPU-seconds${scale} x $${deps.dollarsPerGpuHour}/GPU-hour = $${dollars.toFixed(4)}; manual estimate ${deps.manualDebugHours} h x $${deps.engineerDollarsPerHour}/h = $${manualDollars}`, { cost: result.cost, verdict: result.verdict });
  return result;
}

function stepTitle(kind: StepKind): string {
  return { plan: 'Plan the smallest fix', rerun: 'Re-run with the fix', verify: 'Verify against the baseline', report: 'Write the report' }[kind as 'plan'] ?? kind;
}

function scanOf(tax: Taxonomy, run: ExperimentResult) {
  const scan = new LogScan(tax);
  scan.push(Buffer.from(`${run.stderr}\n${run.stdout}`));
  return scan.end();
}

function summarize(r: ExperimentResult) {
  return { label: r.label, command: r.command, exit_code: r.exitCode, timed_out: r.timedOut, duration_ms: r.durationMs, metrics: r.metrics, provenance: r.provenance, stderr_tail: r.stderr.split('\n').slice(-12).join('\n') };
}

