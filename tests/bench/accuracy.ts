// npm run bench:accuracy [-- CORPUS.jsonl] [--show-misses]
// Scores the diagnosis on a corpus of real crash logs (default: ../shared/corpus/dev.jsonl beside
// the checkout): category accuracy per category and overall, and whether the fix names the
// parameter the issue thread established (names compared without case, dashes or spaces).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diagnoseText } from '../../server/diagnosis/diagnose.js';
import { loadTaxonomy } from '../../server/diagnosis/taxonomy-loader.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const showMisses = args.includes('--show-misses');
const corpus = resolve(args.find((a) => !a.startsWith('--')) ?? resolve(root, '../shared/corpus/dev.jsonl'));
if (!existsSync(corpus)) {
  console.log(`corpus not found at ${corpus}: nothing to score (pass a path to a .jsonl corpus)`);
  process.exit(0);
}

interface Case { id: string; log: string; config?: unknown; expected_category: string; expected_fix?: { param?: string } | null }
const cases: Case[] = readFileSync(corpus, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const norm = (p: unknown) => String(p).toLowerCase().replace(/^-+/, '').replace(/[^a-z0-9]/g, '');
const tax = loadTaxonomy();

const per = new Map<string, [number, number]>();
let right = 0, fixRight = 0, fixLenient = 0, fixTotal = 0, errors = 0;
const misses: string[] = [];
const t0 = performance.now();
for (const c of cases) {
  let got = 'ERROR';
  let params = new Set<string>();
  try {
    const d = diagnoseText(tax, c.log, c.config ?? null);
    got = d.category;
    params = new Set([...(d.fix?.changes ?? []).map((ch) => norm(ch.param)), ...Object.keys(d.fix?.env ?? {}).map(norm)]);
  } catch (e) {
    errors++;
    got = `ERROR ${(e as Error).message}`;
  }
  const ok = got === c.expected_category;
  right += Number(ok);
  const [r, t] = per.get(c.expected_category) ?? [0, 0];
  per.set(c.expected_category, [r + Number(ok), t + 1]);
  if (!ok) misses.push(`miss ${c.id}: expected ${c.expected_category}, got ${got}`);
  if (c.expected_fix?.param && c.expected_category !== 'no_failure') {
    fixTotal++;
    const want = norm(c.expected_fix.param);
    const fixOk = params.has(want);
    fixRight += Number(fixOk);
    // lenient: the corpus often describes the parameter in words ("docker --shm-size",
    // "MASTER_PORT (hard-coded in launcher)"); count a fix whose param name (5+ chars) appears in it
    fixLenient += Number(fixOk || [...params].some((p) => p.length >= 5 && want.includes(p)));
    if (!fixOk && showMisses) misses.push(`fix  ${c.id}: expected param "${c.expected_fix.param}", got ${[...params].join(', ') || '(none)'}`);
  }
}
const ms = performance.now() - t0;
for (const [cat, [r, t]] of [...per].sort()) console.log(`${cat.padEnd(28)} ${String(r).padStart(3)}/${t}`);
if (showMisses) for (const m of misses) console.log(m);
const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : '0.0');
console.log(`corpus ${corpus} (${cases.length} logs), taxonomy ${tax.version}`);
console.log(`fix param named in the expected description (lenient): ${fixLenient}/${fixTotal} = ${pct(fixLenient, fixTotal)}%`);
console.log(`category ${right}/${cases.length} = ${pct(right, cases.length)}%; fix param ${fixRight}/${fixTotal} = ${pct(fixRight, fixTotal)}%; errors ${errors}; ${ms.toFixed(0)} ms`);
