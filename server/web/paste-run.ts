import { eq } from 'drizzle-orm';
import type { MiddlewareHandler } from 'hono';
import type { LlmDeps } from '../app.js';
import { diagnoseText } from '../diagnosis/diagnose.js';
import { ConfigError } from '../diagnosis/run-config.js';
import type { Diagnosis, Taxonomy } from '../diagnosis/types.js';
import { explainDiagnosis } from '../llm/explain.js';
import { redact, type Redaction } from '../redact/redact.js';
import type { Db } from '../store/db.js';
import { isRunId } from '../store/ids.js';
import { getRun, type CreateRunInput } from '../store/runs.js';
import { runs } from '../store/schema.js';
import type { FormErrors, RunForm, Upload } from './run-form.js';

export type PasteOutcome = { ok: true; run: CreateRunInput } | { ok: false; errors: FormErrors };

/** A submitted form → the run to store. Secrets are redacted first and only the redacted text
 * is diagnosed and stored; a config that does not parse stops everything before the store. */
export function diagnosePaste(taxonomy: Taxonomy, form: RunForm): PasteOutcome {
  const log = redact(form.log);
  const config = form.config === null ? null : redact(form.config);
  let diagnosis: Diagnosis;
  try {
    diagnosis = diagnoseText(taxonomy, log.text, config?.text ?? null);
  } catch (e) {
    if (e instanceof ConfigError) return { ok: false, errors: { config: sentence(e.message) } };
    throw e;
  }
  const artifacts: NonNullable<CreateRunInput['artifacts']> = [];
  if (form.stderrFile) artifacts.push({ name: artifactName('stderr', form.stderrFile, '.log'), mime: 'text/plain', content: log.text });
  if (form.configFile && config) artifacts.push({ name: artifactName('config', form.configFile, '.txt'), mime: 'text/plain', content: config.text });
  return {
    ok: true,
    run: {
      kind: 'paste',
      title: runTitle(diagnosis),
      listed: form.values.listed,
      log: log.text,
      config: config?.text ?? null,
      diagnosis,
      category: diagnosis.category,
      severity: diagnosis.severity,
      confidence: diagnosis.confidence,
      redactions: mergeRedactions(log.redactions, config?.redactions ?? []),
      artifacts,
    },
  };
}

/** Asks the LLM to explain a stored pasted run and keeps the answer with its diagnosis, as
 * `diagnosis.explanation` (the card shows it). The log and config are the stored ones, already
 * redacted, and the prompt is redacted once more. No endpoint: `{ source: 'none', reason }` is
 * stored, and the card says so. Never throws; never takes longer than the LLM timeout. */
export async function explainStoredRun(db: Db, llm: LlmDeps, id: string): Promise<void> {
  try {
    const run = getRun(db, id);
    const d = run?.diagnosis as (Diagnosis & { explanation?: unknown }) | null | undefined;
    if (!run || run.kind !== 'paste' || !d || d.explanation) return;
    const explanation = await explainDiagnosis(d, { log: run.log, config: run.config }, { config: llm.config, cache: llm.cache, taxonomyIds: llm.taxonomyIds });
    db.update(runs).set({ diagnosis: { ...d, explanation } }).where(eq(runs.id, id)).run();
  } catch (e) {
    console.error(`explaining run ${id} failed`, e);
  }
}

/** Wraps the form's POST /runs: once the run is stored (a 303 to /runs/<id>), it is explained
 * before the redirect goes out, so the run page the browser lands on shows the explanation. */
export function explainAfterPaste(db: Db, llm: LlmDeps): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status !== 303) return;
    const id = /^\/runs\/([^/?#]+)$/.exec(c.res.headers.get('location') ?? '')?.[1];
    if (id && isRunId(id)) await explainStoredRun(db, llm, id);
  };
}

/** "CUDA out of memory · meta-llama/Llama-3.1-8B": the history lists runs by this. */
export function runTitle(d: Diagnosis): string {
  const model = typeof d.facts.model === 'string' ? d.facts.model : null;
  return (model ? `${d.title} · ${model}` : d.title).slice(0, 200);
}

/** The stored name is the role plus the original extension: the original file name may carry a
 * user name or a path, and it never reaches the store. */
export function artifactName(role: string, file: Upload, fallbackExt: string): string {
  const ext = /\.[A-Za-z0-9]{1,8}$/.exec(file.name)?.[0].toLowerCase() ?? fallbackExt;
  return `${role}${ext}`;
}

export function mergeRedactions(a: readonly Redaction[], b: readonly Redaction[]): Redaction[] {
  const counts = new Map<Redaction['kind'], number>();
  for (const r of [...a, ...b]) counts.set(r.kind, (counts.get(r.kind) ?? 0) + r.count);
  return [...counts].map(([kind, count]) => ({ kind, count }));
}

function sentence(m: string): string {
  const s = m.charAt(0).toUpperCase() + m.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
