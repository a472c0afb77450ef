/** One printed line of a run, stamped with ms since its start: what recordings keep and replays
 * re-emit with the original timing. */
export interface OutputLine { t_ms: number; stream: 'stdout' | 'stderr'; line: string }

/** Splits a stream into lines as chunks arrive, stamping each with the time it completed. */
export function lineSplitter(stream: OutputLine['stream'], started: number, emit: (l: OutputLine) => void) {
  let partial = '';
  return {
    push(chunk: string) {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const line of parts) emit({ t_ms: Math.round(performance.now() - started), stream, line });
    },
    end() {
      if (partial) emit({ t_ms: Math.round(performance.now() - started), stream, line: partial });
      partial = '';
    },
  };
}

/** The metrics a run prints as its last JSON line on stdout (the simulators and live scripts). */
export function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n').reverse();
  for (const l of lines) {
    if (!l.startsWith('{')) continue;
    try { return JSON.parse(l) as Record<string, unknown>; } catch { /* not the metrics line */ }
  }
  return {};
}
