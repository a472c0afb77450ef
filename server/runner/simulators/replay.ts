import { appendFileSync, writeFileSync } from 'node:fs';
import type { RunOptions, SimResult, TelemetrySample } from './common.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Item = { at_ms: number; print?: { stream: 'stdout' | 'stderr'; line: string }; sample?: TelemetrySample };

/** Replays a simulated run as a real process: each line and telemetry sample appears at its
 * simulated time x timeScale (measured from the start, so delays do not accumulate drift), then
 * the process exits with the run's code. Uses process.exitCode rather than process.exit() so piped
 * output is flushed before the process ends. */
export async function replay(result: SimResult<unknown>, opts: RunOptions): Promise<void> {
  const items: Item[] = [
    ...result.events.map((e) => ({ at_ms: e.at_ms, print: { stream: e.stream, line: e.line } })),
    ...result.telemetry.map((s) => ({ at_ms: s.t_ms, sample: s })),
  ];
  // stable sort: lines keep their order, a sample at the same time follows the lines before it
  items.sort((a, b) => a.at_ms - b.at_ms);
  if (opts.telemetryFile) writeFileSync(opts.telemetryFile, '');
  const start = performance.now();
  for (const item of items) {
    const due = start + item.at_ms * opts.timeScale;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (item.print) (item.print.stream === 'stdout' ? process.stdout : process.stderr).write(`${item.print.line}\n`);
    else if (item.sample && opts.telemetryFile) appendFileSync(opts.telemetryFile, `${JSON.stringify(item.sample)}\n`);
  }
  process.exitCode = result.exitCode;
}
