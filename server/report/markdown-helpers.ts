/** Markdown escaping: prose from a run is kept on one line and cannot open HTML, links or
 * emphasis; log text goes into fences longer than any backtick run inside it. */

export function mdText(value: unknown): string {
  return String(value ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*[\]`~])/g, '\\$1')
    .replace(/(^|\W)_|_(?=\W|$)/g, (m) => m.replace('_', '\\_'));
}

/** A table cell: escaped prose, pipes escaped. */
export function mdCell(value: unknown): string {
  return mdText(value).replace(/\|/g, '\\|') || ' ';
}

/** An inline code span that survives backticks inside (and pipes, inside a table). */
export function mdCode(value: unknown, inTable = false): string {
  let s = String(value ?? '').replace(/\s+/g, ' ');
  if (inTable) s = s.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${f}${pad}${s}${pad}${f}`;
}

export function mdFence(text: string, lang = ''): string[] {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const f = '`'.repeat(longest + 1);
  return [`${f}${lang}`, text, f];
}

export function mdTable(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}
