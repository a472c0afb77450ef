import { EventEmitter } from 'node:events';
import type { Taxonomy } from '../diagnosis/types.js';
import type { ExplanationCache } from '../llm/cache.js';
import type { LlmConfig } from '../llm/config.js';
import type { Db } from '../store/db.js';
import { createRun } from '../store/runs.js';
import { appendStep, finishRun } from '../store/steps.js';
import { agentLoop } from './loop.js';
import type { RunRequest } from './run-request.js';
import type { Scenario } from './scenario.js';
import type { AgentResult, ExperimentResult, Params, StepEvent, StepProgress } from './types.js';

/** Runs one experiment of a scenario, live or from a recording (`mode`), and says which in its
 * provenance; must end promptly (kill its process) when `signal` aborts. */
export type ScenarioRunner = (scenario: Scenario, params: Params, label: ExperimentResult['label'], ctx: { signal: AbortSignal; mode: RunRequest['mode'] }) => Promise<ExperimentResult>;

export interface RegistryDeps {
  db: Db;
  taxonomy: Taxonomy;
  runner: ScenarioRunner;
  costs: { dollarsPerGpuHour: number; manualDebugHours: number; engineerDollarsPerHour: number };
  /** wall clock in ms (steps are stamped with it) */
  now?: () => number;
  /** loops running at once; the rest wait in a queue (default 8) */
  maxConcurrent?: number;
  /** the LLM sidecar for the explain step; left out, the step is skipped */
  llm?: { config: LlmConfig | null; cache: ExplanationCache };
}

/** The final result a scenario run stores and streams as `complete`. */
export interface ScenarioRunResult extends AgentResult {
  scenario: string;
  mode: RunRequest['mode'];
  params: Params;
  /** the first, failing run (AgentResult keeps the fixed attempts and the baseline) */
  failing: ExperimentResult | null;
}

export type RunMessage =
  | { type: 'step'; step: StepEvent }
  /** a step still running (the explanation as it streams): published, never stored */
  | { type: 'progress'; step: StepProgress }
  | { type: 'complete'; result: ScenarioRunResult }
  | { type: 'error'; status: 'failed' | 'interrupted'; message: string };

interface Entry { emitter: EventEmitter; controller: AbortController; request: RunRequest; steps: number }

class Stopped extends Error {}

/** Starts scenario runs and keeps their in-memory subscribers. Each run is persisted step by step
 * (so a viewer can join late or reconnect), and published to whoever is watching. A viewer that
 * leaves only unsubscribes; the run goes on. */
export class RunRegistry {
  private readonly active = new Map<string, Entry>();
  private readonly queue: { id: string; go: () => void }[] = [];
  private readonly tasks = new Set<Promise<void>>();
  private running = 0;
  private readonly now: () => number;
  private readonly cap: number;

  constructor(private readonly deps: RegistryDeps) {
    this.now = deps.now ?? Date.now;
    this.cap = Math.max(1, deps.maxConcurrent ?? 8);
  }

  /** Creates the run row ('running', listed: a scenario holds no user data) and starts or queues it. */
  start(request: RunRequest): string {
    const { scenario, mode, params } = request;
    const id = createRun(this.deps.db, {
      kind: 'scenario', status: 'running', listed: true, title: runTitle(scenario, params),
      log: '', config: JSON.stringify(params), diagnosis: null, category: null, severity: null, confidence: null,
      redactions: [], scenarioId: scenario.id, mode,
    });
    const entry: Entry = { emitter: new EventEmitter(), controller: new AbortController(), request, steps: 0 };
    entry.emitter.setMaxListeners(0);
    this.active.set(id, entry);
    const go = () => {
      this.running++;
      const task = this.execute(id, entry).catch((e) => console.error(`scenario run ${id}:`, e)).finally(() => {
        this.running--;
        this.tasks.delete(task);
        this.queue.shift()?.go();
      });
      this.tasks.add(task);
    };
    if (this.running < this.cap) go();
    else this.queue.push({ id, go });
    return id;
  }

  /** Live messages of a run still in progress; null when it is not (read the store instead). */
  subscribe(id: string, listener: (m: RunMessage) => void): (() => void) | null {
    const entry = this.active.get(id);
    if (!entry) return null;
    entry.emitter.on('message', listener);
    return () => entry.emitter.off('message', listener);
  }

  /** How many viewers are subscribed to a run in progress. */
  viewers(id: string): number {
    return this.active.get(id)?.emitter.listenerCount('message') ?? 0;
  }

  isActive(id: string): boolean {
    return this.active.has(id);
  }

  /** How many queued runs start before this one; null when it is not queued. */
  queuePosition(id: string): number | null {
    const i = this.queue.findIndex((q) => q.id === id);
    return i < 0 ? null : i;
  }

  /** Stops a run: kills its experiment, records it as interrupted at once. False if not active. */
  stop(id: string, reason = 'stopped by a viewer'): boolean {
    const entry = this.active.get(id);
    if (!entry) return false;
    const queued = this.queue.findIndex((q) => q.id === id);
    if (queued >= 0) this.queue.splice(queued, 1);
    entry.controller.abort();
    this.end(id, entry, { type: 'error', status: 'interrupted', message: `${reason} after ${entry.steps} of 9 steps` });
    return true;
  }

  stopAll(reason: string): void {
    for (const id of [...this.active.keys()]) this.stop(id, reason);
  }

  /** Resolves when no run is in progress (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.tasks.size) await Promise.allSettled([...this.tasks]);
  }

  private async execute(id: string, entry: Entry): Promise<void> {
    const { scenario, mode, params } = entry.request;
    const { signal } = entry.controller;
    let failing: ExperimentResult | null = null;
    const run = async (p: Params, label: ExperimentResult['label']) => {
      if (signal.aborted) throw new Stopped();
      const result = await this.deps.runner(scenario, p, label, { signal, mode });
      if (signal.aborted) throw new Stopped();
      if (label === 'failing') failing ??= result;
      return result;
    };
    try {
      const onToken = (progress: StepProgress) => {
        if (signal.aborted || this.active.get(id) !== entry) return;
        const step = { ...progress, startedAt: this.now() - progress.durationMs };
        entry.emitter.emit('message', { type: 'progress', step } satisfies RunMessage);
      };
      const loop = agentLoop(scenario, params, { taxonomy: this.deps.taxonomy, run, ...this.deps.costs, llm: this.deps.llm, onToken });
      for (;;) {
        const next = await loop.next();
        if (signal.aborted) throw new Stopped();
        if (next.done) {
          const result: ScenarioRunResult = { ...next.value, scenario: scenario.id, mode, params, failing };
          this.end(id, entry, { type: 'complete', result });
          return;
        }
        // the loop stamps steps with performance.now(); the store and the page want wall-clock time
        const step = { ...next.value, startedAt: this.now() - next.value.durationMs };
        appendStep(this.deps.db, id, step);
        entry.steps = step.seq;
        entry.emitter.emit('message', { type: 'step', step } satisfies RunMessage);
      }
    } catch (e) {
      if (e instanceof Stopped || signal.aborted) return; // stop() has recorded it already
      this.end(id, entry, { type: 'error', status: 'failed', message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Stores the outcome first, then tells the subscribers, then forgets the run. */
  private end(id: string, entry: Entry, message: Extract<RunMessage, { type: 'complete' | 'error' }>): void {
    if (this.active.get(id) !== entry) return;
    if (message.type === 'complete') {
      const d = message.result.diagnosis;
      finishRun(this.deps.db, id, {
        status: 'done', category: d?.category ?? null, severity: d?.severity ?? null, confidence: d?.confidence ?? null,
        diagnosis: d, result: message.result, log: message.result.failing?.stderr,
      });
    } else {
      finishRun(this.deps.db, id, { status: message.status, category: null, severity: null, confidence: null, diagnosis: null, result: { error: message.message } });
    }
    entry.emitter.emit('message', message);
    entry.emitter.removeAllListeners();
    this.active.delete(id);
  }
}

/** The scenario's title, and the params a person changed: "A training step at batch 64 … —
 * with batch_size 48" (the title names the scenario's own settings). */
export function runTitle(scenario: Scenario, params: Params): string {
  const changed = Object.entries(params).filter(([k, v]) => scenario.params[k] !== v).map(([k, v]) => `${k} ${v}`);
  return changed.length ? `${scenario.title} — with ${changed.join(', ')}` : scenario.title;
}
