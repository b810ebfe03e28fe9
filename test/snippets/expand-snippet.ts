/**
 * Expands a VS Code snippet body the way accepting every default does: placeholders take their
 * default (nested ones too), choices their first option, mirrors (`$1`) the placeholder's value,
 * `$0` nothing, and `\$`, `\}`, `\\` their literal character.
 */
export function expandSnippet(body: string | string[]): string {
  const text = Array.isArray(body) ? body.join('\n') : body;
  const values = new Map<string, string>();
  const first = parse(text, values);
  // A second pass fills mirrors that appear before their placeholder's default.
  return values.size > 0 ? parse(text, values) : first;
}

function parse(text: string, values: Map<string, string>): string {
  let out = '';
  let index = 0;
  const readUntilClose = (start: number): { inner: string; end: number } => {
    let depth = 1;
    let cursor = start;
    while (cursor < text.length) {
      const char = text[cursor]!;
      if (char === '\\') cursor += 2;
      else if (char === '$' && text[cursor + 1] === '{') {
        depth++;
        cursor += 2;
      } else if (char === '}') {
        if (--depth === 0) return { inner: text.slice(start, cursor), end: cursor + 1 };
        cursor++;
      } else cursor++;
    }
    throw new Error(`unclosed placeholder in snippet at ${start}`);
  };
  while (index < text.length) {
    const char = text[index]!;
    if (char === '\\' && /[$}\\]/.test(text[index + 1] ?? '')) {
      out += text[index + 1];
      index += 2;
    } else if (char === '$' && /\d/.test(text[index + 1] ?? '')) {
      const number = /^\d+/.exec(text.slice(index + 1))![0];
      out += values.get(number) ?? '';
      index += 1 + number.length;
    } else if (char === '$' && text[index + 1] === '{') {
      const { inner, end } = readUntilClose(index + 2);
      const match = /^(\d+)(?::([\s\S]*)|\|([^|]*)\||)$/.exec(inner);
      if (!match) throw new Error(`unsupported snippet syntax: \${${inner}}`);
      const [, number, defaultText, choices] = match;
      let value: string;
      // A placeholder number takes one value everywhere: the first occurrence's.
      if (values.has(number!)) value = values.get(number!)!;
      else if (defaultText !== undefined) value = parse(defaultText, values);
      else if (choices !== undefined) value = choices.split(',')[0]!.replace(/\\,/g, ',');
      else value = values.get(number!) ?? '';
      if (!values.has(number!) && (defaultText !== undefined || choices !== undefined)) values.set(number!, value);
      out += value;
      index = end;
    } else if (char === '$' && /[A-Za-z_]/.test(text[index + 1] ?? '')) {
      throw new Error(`snippet variable at ${index}: escape a literal $ as \\$`);
    } else {
      out += char;
      index++;
    }
  }
  return out;
}
