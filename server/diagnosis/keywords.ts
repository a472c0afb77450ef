/** Derives literal strings a regex cannot match without, so the scanner can look for those
 * first and run the regex only on the few lines that contain one. For each top-level
 * alternative, its longest run of plain characters (and the next longest when distinctive). Returns null when some alternative has
 * no literal of at least `min` characters (the pattern author then lists `keywords`). */
export function deriveKeywords(source: string, min = 4): string[] | null {
  const branches = splitTopLevel(source);
  const out: string[] = [];
  for (const branch of branches) {
    const runs = literalRuns(branch).filter((r) => r.length >= min).sort((a, b) => b.length - a.length);
    if (runs.length) {
      // the longest literal, and a second distinctive one: a message wrapped across two lines
      // then still has one of them whole on some line, and the matcher joins the neighbours
      out.push(runs[0]);
      if (runs[1] && runs[1].length >= 12) out.push(runs[1]);
      continue;
    }
    // no plain run long enough: a required group whose every alternative has one will do,
    // e.g. (?:Model loading took|Loading model weights took) \d+
    const inner = requiredGroups(branch).map((g) => deriveKeywords(g, min)).find((k) => k !== null);
    if (!inner) return null;
    out.push(...inner);
  }
  return [...new Set(out)];
}

/** The bodies of groups in a branch that are not optional (no ?, * or {0 after them). */
function requiredGroups(branch: string): string[] {
  const groups: string[] = [];
  for (let i = 0; i < branch.length; i++) {
    if (branch[i] === '\\') { i++; continue; }
    if (branch[i] === '[') { i = skipClass(branch, i); continue; }
    if (branch[i] !== '(') continue;
    const close = skipGroup(branch, i);
    const after = branch[close + 1];
    const body = branch.slice(i + 1, close);
    const lookaround = /^\?(?:<?[=!])/.test(body);
    if (!lookaround && after !== '?' && after !== '*' && !branch.startsWith('{0', close + 1)) {
      groups.push(body.replace(/^\?(?::|<[A-Za-z_]\w*>)/, ''));
    }
    i = close;
  }
  return groups;
}

function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) { parts.push(source.slice(start, i)); start = i + 1; }
  }
  parts.push(source.slice(start));
  return parts;
}

const CLASS_ESCAPES = new Set('dDwWsSbBnrtfv0123456789pPuxck');

function literalRuns(branch: string): string[] {
  const runs: string[] = [];
  let run = '';
  const flush = () => { if (run) runs.push(run); run = ''; };
  for (let i = 0; i < branch.length; i++) {
    const c = branch[i];
    if (c === '\\') {
      const n = branch[i + 1] ?? '';
      i++;
      if (CLASS_ESCAPES.has(n)) { flush(); continue; }
      run += n;
      continue;
    }
    if (c === '(') { flush(); i = skipGroup(branch, i); continue; }
    if (c === '[') { flush(); i = skipClass(branch, i); continue; }
    if (c === '.' || c === '^' || c === '$') { flush(); continue; }
    if (c === '*' || c === '?' || c === '{') {
      // the quantifier applies to the last character only: it is optional or repeated
      run = run.slice(0, -1);
      flush();
      if (c === '{') i = branch.indexOf('}', i);
      if (branch[i + 1] === '?') i++;
      continue;
    }
    if (c === '+') { flush(); if (branch[i + 1] === '?') i++; continue; }
    run += c;
  }
  flush();
  return runs;
}

function skipGroup(s: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return s.length;
}

function skipClass(s: string, open: number): number {
  for (let i = open + 1; i < s.length; i++) {
    if (s[i] === '\\') { i++; continue; }
    if (s[i] === ']') return i;
  }
  return s.length;
}
