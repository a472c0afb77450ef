import type { Redaction, RunKind, RunMode, RunStatus } from './schema.js';

export type { Redaction, RunKind, RunMode, RunStatus };

export interface CreateRunInput {
  kind: RunKind;
  title: string;
  listed: boolean;
  /** already redacted by the caller */
  log: string;
  /** already redacted by the caller */
  config: string | null;
  /** stored as JSON */
  diagnosis: unknown | null;
  category: string | null;
  severity: string | null;
  confidence: number | null;
  /** what redaction removed, shown on the run page */
  redactions: Redaction[];
  /** defaults to 'done'; the agent loop starts runs as 'running' */
  status?: 'done' | 'running';
  /** names are unique per run (they address the file); a duplicate fails the whole insert */
  artifacts?: { name: string; mime: string; content: string }[];
  /** scenario runs: the scenario file's id and how it runs */
  scenarioId?: string;
  mode?: RunMode;
}

/** An artifact as listed on a run: no content, so a page never loads big files by accident. */
export interface ArtifactInfo {
  name: string;
  mime: string;
  /** UTF-8 bytes */
  size: number;
}

export interface RunRecord {
  id: string;
  /** ms since the epoch */
  createdAt: number;
  kind: RunKind;
  status: RunStatus;
  listed: boolean;
  title: string;
  category: string | null;
  severity: string | null;
  confidence: number | null;
  log: string;
  config: string | null;
  diagnosis: unknown | null;
  redactions: Redaction[];
  /** in upload order */
  artifacts: ArtifactInfo[];
  /** scenario runs only (null for pastes) */
  scenarioId: string | null;
  mode: RunMode | null;
  /** the agent loop's final result (stored by finishRun) */
  result: unknown | null;
}

export type RunSummary = Pick<
  RunRecord,
  'id' | 'createdAt' | 'kind' | 'title' | 'category' | 'severity' | 'confidence' | 'status'
>;
