import type { ModuleRegistration } from './model';
import { relativeImport } from './names';

/**
 * Adds `registration.className` to the `imports`/`providers` array of the `@Module({ … })` in
 * `text`, and its import statement, without a compiler (the client bundle carries none): the
 * decorator's object literal is found by bracket matching that skips strings and comments.
 * Returns undefined when the file has no `@Module(` to extend; the text unchanged when the class is
 * already registered.
 */
export function registerInModule(text: string, registration: ModuleRegistration): string | undefined {
  const decorator = text.indexOf('@Module(');
  if (decorator < 0) return undefined;
  const open = text.indexOf('{', decorator);
  if (open < 0) return undefined;
  const close = matching(text, open);
  if (close < 0) return undefined;
  const body = text.slice(open + 1, close);
  const { className } = registration;
  const key = new RegExp(`\\b${registration.array}\\s*:\\s*\\[`).exec(body);
  let updated: string;
  if (key) {
    const arrayOpen = open + 1 + key.index + key[0].length - 1;
    const arrayClose = matching(text, arrayOpen);
    if (arrayClose < 0) return undefined;
    const inside = text.slice(arrayOpen + 1, arrayClose);
    if (new RegExp(`\\b${className}\\b`).test(inside)) return text;
    const content = inside.replace(/\s+$/, '');
    let replacement: string;
    if (content.trim().length === 0) replacement = className;
    else if (!inside.includes('\n')) replacement = `${content.replace(/,\s*$/, '').trim()}, ${className}`;
    else {
      const indent = /\n([ \t]*)\S/.exec(inside)?.[1] ?? '    ';
      const trailingComma = content.endsWith(',');
      replacement = `${content}${trailingComma ? '' : ','}\n${indent}${className}${trailingComma ? ',' : ''}${inside.slice(content.length)}`;
    }
    updated = text.slice(0, arrayOpen + 1) + replacement + text.slice(arrayClose);
  } else {
    const indent = /\n([ \t]*)\S/.exec(body)?.[1] ?? '  ';
    const empty = body.trim().length === 0;
    const entry = `${registration.array}: [${className}],`;
    updated = empty
      ? `${text.slice(0, open + 1)}\n  ${entry}\n${text.slice(close)}`
      : body.includes('\n')
        ? `${text.slice(0, open + 1)}\n${indent}${entry}${text.slice(open + 1)}`
        : `${text.slice(0, open + 1)} ${entry}${body.startsWith(' ') ? '' : ' '}${text.slice(open + 1)}`;
  }
  return addImport(updated, className, relativeImport(registration.moduleFile, registration.classFile));
}

/** Adds `import { name } from 'specifier';` after the last import, unless the name is imported. */
export function addImport(text: string, name: string, specifier: string): string {
  if (new RegExp(`import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from`).test(text)) return text;
  const statement = `import { ${name} } from '${specifier}';\n`;
  const imports = [...text.matchAll(/^import\s[\s\S]*?from\s*['"][^'"]+['"];?[ \t]*\r?\n/gm)];
  const last = imports.at(-1);
  if (!last) return statement + text;
  const at = last.index + last[0].length;
  return text.slice(0, at) + statement + text.slice(at);
}

/** Index of the bracket closing the one at `open`, skipping strings, templates and comments. */
function matching(text: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let index = open; index < text.length; index++) {
    const char = text[index]!;
    if (char === '/' && text[index + 1] === '/') index = text.indexOf('\n', index) < 0 ? text.length : text.indexOf('\n', index);
    else if (char === '/' && text[index + 1] === '*') index = text.indexOf('*/', index + 2) < 0 ? text.length : text.indexOf('*/', index + 2) + 1;
    else if (char === "'" || char === '"' || char === '`') {
      for (index++; index < text.length && text[index] !== char; index++) if (text[index] === '\\') index++;
    } else if (pairs[char]) stack.push(pairs[char]!);
    else if (char === '}' || char === ']' || char === ')') {
      if (stack.pop() !== char) return -1;
      if (stack.length === 0) return index;
    }
  }
  return -1;
}
