import type { Scenario } from './scenario.js';
import type { ExperimentResult, Params, Verification } from './types.js';

/** Compares the re-run with what the scenario names (and the baseline run), within tolerances.
 * "Recovered" only when the re-run exited 0 and every check holds. */
export function verify(scenario: Scenario, fixed: ExperimentResult, baseline: ExperimentResult | null, original: Params): Verification {
  const checks: Verification['checks'] = [{ metric: 'exit status', expected: '0', actual: String(fixed.exitCode), ok: fixed.exitCode === 0 }];
  for (const v of scenario.verify) {
    const actual = fixed.metrics[v.metric];
    const reference = v.of === 'baseline' ? baseline?.metrics[v.metric] : fromParams(v.value, original);
    let ok = false;
    let expected = String(reference);
    if (v.op === 'eq') ok = actual === reference;
    else if (v.op === 'gte') { ok = Number(actual) >= Number(reference); expected = `>= ${reference}`; }
    else if (v.op === 'lte') { ok = Number(actual) <= Number(reference); expected = `<= ${reference}`; }
    else {
      const tol = v.tolerance ?? 0.1;
      ok = typeof actual === 'number' && typeof reference === 'number' && Math.abs(actual - reference) <= tol * Math.abs(reference);
      expected = `${reference} ± ${Math.round(tol * 100)}% (baseline)`;
    }
    checks.push({ metric: v.metric, expected, actual: actual === undefined ? '(missing)' : String(actual), ok });
  }
  // what the fix gave up: any number that went down (context, batch, budget per item...)
  const gaveUp = Object.entries(fixed.params)
    .filter(([k, v]) => typeof v === 'number' && typeof original[k] === 'number' && v < (original[k] as number))
    .map(([param, to]) => ({ param, from: original[param], to }));
  return { recovered: checks.every((c) => c.ok), checks, gaveUp };
}

/** A reference given as a product of the original params ("batch_size*gradient_accumulation_steps"),
 * so a check holds for whatever params a person chose under Advanced; anything else as written. */
function fromParams(value: string | number | boolean | undefined, original: Params): string | number | boolean | undefined {
  if (typeof value !== 'string' || !/^[a-z_]+(\*[a-z_]+)*$/.test(value)) return value;
  const factors = value.split('*').map((k) => original[k]);
  return factors.every((f) => typeof f === 'number') ? (factors as number[]).reduce((a, b) => a * b, 1) : value;
}
