import { diagnoseText } from '../diagnosis/diagnose.js';
import { ConfigError } from '../diagnosis/run-config.js';
import type { Diagnosis, Taxonomy } from '../diagnosis/types.js';
import { redact, type Redaction } from '../redact/redact.js';
import type { CreateRunInput } from '../store/runs.js';
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
