import { createApp, resolveDeps, type AppDeps } from '../../server/app.js';
import type { ScenarioRunner } from '../../server/agent/run-registry.js';
import type { Scenario } from '../../server/agent/scenario.js';
import type { ExperimentResult, Params } from '../../server/agent/types.js';
import { readConfig } from '../../server/config.js';
import { runSimulator } from '../../server/runner/simulator-runner.js';
import { openDb } from '../../server/store/db.js';
import { builtinTaxonomy } from '../helpers/taxonomy.js';

/** The whole app on a fresh in-memory database, with the registry exposed for the test. */
export function agentApp(opts: { runner?: ScenarioRunner; env?: NodeJS.ProcessEnv; clock?: AppDeps['clock'] } = {}) {
  const { db } = openDb(':memory:');
  const deps = resolveDeps({ config: readConfig(opts.env ?? {}), taxonomy: builtinTaxonomy(), db, runner: opts.runner, clock: opts.clock });
  return { app: createApp(deps), db, agent: deps.agent, scenarios: deps.scenarios };
}

export type AgentApp = ReturnType<typeof agentApp>['app'];

/** The real CPU simulators, fast: 1 simulated second in 5 ms. */
export const realRunner: ScenarioRunner = (scenario, params, label, { signal }) =>
  runSimulator(scenario, params, label, { timeScale: 0.005 }, signal);

/** A fast runner for load tests: each distinct experiment (scenario + params) runs the real
 * simulator once; later runs reuse that result, so the loop still diagnoses real output. */
export function cachedRunner(): ScenarioRunner {
  const cache = new Map<string, Promise<ExperimentResult>>();
  return async (scenario: Scenario, params: Params, label, ctx) => {
    const key = `${scenario.id} ${JSON.stringify(params)}`;
    if (!cache.has(key)) cache.set(key, realRunner(scenario, params, label, ctx));
    return { ...(await cache.get(key)!), label };
  };
}

/** A runner that waits at a given experiment label until released (or aborted, as a killed process). */
export function gatedRunner(gateAt: ExperimentResult['label'], inner: ScenarioRunner = cachedRunner()) {
  let open!: () => void;
  const gate = new Promise<void>((r) => { open = r; });
  const aborted: string[] = [];
  const runner: ScenarioRunner = async (scenario, params, label, ctx) => {
    const { signal } = ctx;
    if (label === gateAt) {
      await new Promise<void>((resolve) => {
        gate.then(resolve);
        signal.addEventListener('abort', () => { aborted.push(label); resolve(); }, { once: true });
      });
    }
    return inner(scenario, params, label, ctx);
  };
  return { runner, release: () => open(), aborted };
}

export interface SseEvent { event: string; id: string | null; data: string }

/** Parses a text/event-stream body: events (unnamed ones as 'message') and comment lines. */
export function parseSse(text: string): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  for (const block of text.split('\n\n')) {
    if (!block.trim()) continue;
    let event = 'message';
    let id: string | null = null;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line === 'data:') data.push('');
    }
    if (data.length || event !== 'message') events.push({ event, id, data: data.join('\n') });
  }
  return { events, comments };
}

export async function startRun(app: AgentApp, body: unknown): Promise<Response> {
  return app.request('/api/runs', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
}

export async function startedId(app: AgentApp, body: unknown): Promise<string> {
  const res = await startRun(app, body);
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export const until = async (check: () => boolean, timeoutMs = 20_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};
