import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { LogScan } from './log-scan.js';
import { loadTaxonomy } from './taxonomy-loader.js';

// Scans one byte range of a log file for parallel-scan.ts; the range ends at a line end.
const { file, start, end, taxonomyDirs } = workerData as { file: string; start: number; end: number; taxonomyDirs: string[] };
const scan = new LogScan(loadTaxonomy(taxonomyDirs));
for await (const chunk of createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 })) scan.push(chunk as Buffer);
const result = scan.end();
parentPort!.postMessage({ bytes: result.bytes, lines: result.lines, matches: result.matches, tail: result.tail });
