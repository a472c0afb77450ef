/** Follows one string field of a JSON object while the object streams in, token by token, so the
 * explanation can be shown as the model writes it. Only the text of that field is emitted,
 * unescaped; everything else in the stream (other fields, fences, prose) is skipped. */

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

export class JsonFieldStream {
  private buf = '';
  private pos = 0;
  private state: 'seek' | 'in' | 'done' = 'seek';
  private readonly key: RegExp;

  constructor(field: string, private readonly emit: (text: string) => void) {
    // the key must open a string: "explanation" followed by a colon and a quote
    this.key = new RegExp(`"${field}"\\s{0,20}:\\s{0,20}"`, 'g');
  }

  /** Feeds the next piece of the model's output. */
  push(delta: string): void {
    if (this.state === 'done' || delta === '') return;
    this.buf += delta;
    if (this.state === 'seek') {
      this.key.lastIndex = Math.max(0, this.pos - 64);
      const m = this.key.exec(this.buf);
      if (!m) { this.pos = this.buf.length; return; }
      this.state = 'in';
      this.pos = m.index + m[0].length;
    }
    let out = '';
    while (this.pos < this.buf.length) {
      const c = this.buf[this.pos];
      if (c === '"') { this.state = 'done'; break; }
      if (c !== '\\') { out += c; this.pos++; continue; }
      const e = this.buf[this.pos + 1];
      if (e === undefined) break; // the escape continues in the next delta
      if (e === 'u') {
        const hex = this.buf.slice(this.pos + 2, this.pos + 6);
        if (hex.length < 4) break;
        out += /^[0-9a-fA-F]{4}$/.test(hex) ? String.fromCharCode(parseInt(hex, 16)) : '';
        this.pos += 6;
        continue;
      }
      out += ESCAPES[e] ?? e;
      this.pos += 2;
    }
    if (out) this.emit(out);
    // keep memory bounded: what is behind pos is never read again once inside the field
    if (this.pos > 4096) { this.buf = this.buf.slice(this.pos); this.pos = 0; }
  }

  get done(): boolean { return this.state === 'done'; }
}
