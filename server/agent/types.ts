import type { Diagnosis, EvidenceLine } from '../diagnosis/types.js';

/** The agent loop's steps, in order; the timeline shows "step 3 of 9". */
export const STEP_KINDS = ['record', 'detect', 'match', 'diagnose', 'explain', 'plan', 'rerun', 'verify', 'report'] as const;
export type StepKind = (typeof STEP_KINDS)[number];
export type StepStatus = 'ok' | 'failed' | 'warning' | 'skipped';

/** One step as every front end sees it (SSE timeline, JSON events, CLI, store, report). */
export interface StepEvent {
  seq: number;
  kind: StepKind;
  /** verb first: "Run the failing experiment" */
  title: string;
  status: StepStatus;
  startedAt: number;
  durationMs: number;
  summary: string;
  evidence?: EvidenceLine[];
  detail: Record<string, unknown>;
}

/** A step still in progress, e.g. the explanation while the model writes it (detail.text grows).
 * Sent live to whoever watches, with the seq of the step it becomes; never stored, so a viewer
 * that reconnects gets the finished step from the store and no duplicate. */
export interface StepProgress extends Omit<StepEvent, 'status'> {
  status: 'running';
}

/** Where a recording came from; shown next to the evidence, never upgraded. */
export interface Provenance {
  kind: 'simulated' | 'reconstructed' | 'live';
  text: string;
}

/** One GPU memory reading: from a simulator's memory model (`simulated`) or from the GPU's own
 * tool (`source`: nvidia-smi, amd-smi or rocm-smi), t_ms after the run started. */
export interface TelemetrySample { t_ms: number; vram_used_gib: number; vram_total_gib: number; simulated?: boolean; source?: string }

export type Params = Record<string, string | number | boolean>;

/** One execution of a scenario's experiment, live or replayed. */
export interface ExperimentResult {
  label: 'failing' | 'fixed' | 'baseline';
  command: string;
  params: Params;
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  /** for a simulated run, how long the real run would take (the simulator's clock); null when live */
  simulatedMs: number | null;
  stdout: string;
  stderr: string;
  metrics: Record<string, unknown>;
  telemetry: TelemetrySample[];
  provenance: Provenance;
  /** what the diagnosis is told about the machine the run used (a live run: the detected GPU's
   * name and memory), over the scenario's own context */
  context?: Record<string, string | number>;
}

export interface Verification {
  recovered: boolean;
  checks: { metric: string; expected: string; actual: string; ok: boolean }[];
  gaveUp: { param: string; from: unknown; to: unknown }[];
}

export interface AgentResult {
  verdict: 'recovered' | 'not_recovered' | 'no_failure' | 'no_fix';
  diagnosis: Diagnosis | null;
  attempts: ExperimentResult[];
  baseline: ExperimentResult | null;
  verification: Verification | null;
  cost: { gpuSeconds: number; dollarsPerGpuHour: number; dollars: number; manualHours: number; manualDollars: number } | null;
}
