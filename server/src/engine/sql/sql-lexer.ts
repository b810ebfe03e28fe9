/**
 * A small, linear SQL scanner used before any parser runs: it blanks comments and string literals
 * (so markers of other dialects are only looked for in code) and finds where a statement's first
 * token starts. It never backtracks, so its cost is one pass over the text whatever the input.
 */

/**
 * The text with comments, string literals and dollar-quoted bodies replaced by spaces (newlines
 * kept, so offsets and line numbers stay valid). Double-quoted identifiers are kept. An
 * unterminated comment or string blanks the rest of the text.
 */
export function blankCommentsAndStrings(text: string): string {
  const out = text.split('');
  const blank = (from: number, to: number): void => {
    for (let k = from; k < to && k < out.length; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? n : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && next === '*') {
      const j = blockCommentEnd(text, i, n);
      blank(i, j);
      i = j;
    } else if (c === "'") {
      const escapes = i > 0 && (text[i - 1] === 'E' || text[i - 1] === 'e') && !isIdentChar(text[i - 2]);
      let j = i + 1;
      while (j < n) {
        if (escapes && text[j] === '\\') j += 2;
        else if (text[j] === "'" && text[j + 1] === "'") j += 2;
        else if (text[j] === "'") break;
        else j++;
      }
      blank(i, j + 1);
      i = j + 1;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      i = end < 0 ? n : end + 1;
    } else if (c === '$' && !isIdentChar(text[i - 1])) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (!tag) {
        i++;
        continue;
      }
      const end = text.indexOf(tag[0], i + tag[0].length);
      const stop = end < 0 ? n : end + tag[0].length;
      blank(i, stop);
      i = stop;
    } else i++;
  }
  return out.join('');
}

/** The offset just past the block comment opening at `start`; Postgres block comments nest. */
function blockCommentEnd(text: string, start: number, to: number): number {
  let depth = 1;
  let j = start + 2;
  while (j < to && depth > 0) {
    if (text[j] === '/' && text[j + 1] === '*') {
      depth++;
      j += 2;
    } else if (text[j] === '*' && text[j + 1] === '/') {
      depth--;
      j += 2;
    } else j++;
  }
  return j;
}

function isIdentChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$]/.test(c);
}

/** The offset of the first character at or after `from` that is neither whitespace nor inside a comment. */
export function skipTrivia(text: string, from: number, to = text.length): number {
  let i = from;
  while (i < to) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') i++;
    else if (c === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? to : end + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      i = blockCommentEnd(text, i, to);
    } else break;
  }
  return Math.min(i, to);
}

/**
 * Maps UTF-8 byte offsets (what libpg-query reports) to UTF-16 offsets (what the editor and the
 * rest of the engine use). The identity for ASCII text.
 */
export function byteOffsetMapper(text: string): (byteOffset: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(text)) return (offset) => Math.max(0, Math.min(offset, text.length));
  const charAtByte: number[] = [];
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < size; b++) charAtByte[bytes + b] = i;
    bytes += size;
    if (code >= 0x10000) i++;
  }
  charAtByte[bytes] = text.length;
  return (offset) => (offset <= 0 ? 0 : offset >= bytes ? text.length : charAtByte[offset]!);
}
