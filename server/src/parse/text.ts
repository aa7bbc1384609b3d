/**
 * Offsets in Preflight are UTF-16 code-unit indexes into the original file text (what JavaScript strings and
 * editors use). libpg-query reports UTF-8 byte offsets; the helpers here convert between the two exactly.
 */

export interface Span {
  /** Inclusive start offset (UTF-16 code units). */
  start: number;
  /** Exclusive end offset (UTF-16 code units). */
  end: number;
}

/** A zero-based line and UTF-16 column, as in the Language Server Protocol. */
export interface Position {
  line: number;
  character: number;
}

/** Maps offsets of one file's text to line/column positions; line breaks are LF, CRLF or CR. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 10) this.lineStarts.push(i + 1);
      else if (code === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - this.lineStarts[low] };
  }

  offsetAt(position: Position): number {
    if (position.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[Math.max(0, position.line)];
    return Math.min(lineStart + Math.max(0, position.character), this.lineEnd(position.line));
  }

  /** Offset just before the line break of `line`. */
  lineEnd(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
    let end = next;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > this.lineStarts[line] && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }
}

/** Any character past ASCII (surrogates included): where it is absent, UTF-8 bytes and UTF-16 units coincide. */
const NON_ASCII = /[\u0080-\uffff]/;

export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

/**
 * Converts UTF-8 byte offsets within `text` to UTF-16 offsets. Built once per text; ASCII text (the common
 * case) needs no table.
 */
export class ByteOffsets {
  private readonly byteToChar: Uint32Array | null;

  constructor(private readonly text: string) {
    if (isAscii(text)) {
      this.byteToChar = null;
      return;
    }
    const table = new Uint32Array(Buffer.byteLength(text, 'utf8') + 1);
    let byte = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.codePointAt(i)!;
      const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      for (let b = 0; b < width; b++) table[byte + b] = i;
      byte += width;
      if (code >= 0x10000) i++;
    }
    table[byte] = text.length;
    this.byteToChar = table;
  }

  toChar(byteOffset: number): number {
    if (!this.byteToChar) return Math.min(byteOffset, this.text.length);
    return this.byteToChar[Math.min(byteOffset, this.byteToChar.length - 1)];
  }
}

/** The file's own line break, for text written into it (a CRLF file stays CRLF). */
export function lineBreakOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}
