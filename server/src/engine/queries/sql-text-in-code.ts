import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import { resolveName } from '../ast/scope';
import { blankCommentsAndStrings } from '../sql/sql-lexer';

/**
 * SQL written in code (a string, a template, a concatenation of literals) turned into one SQL text
 * with `$n` placeholders, and a map from every character of it back to the file, so a filter found
 * in the SQL is reported on the column in the string. Anything the text depends on at run time
 * other than values (a table or column name in a variable, a raw fragment) makes it unreadable:
 * `undefined`, and the query is skipped rather than guessed.
 */
export interface SqlInCode {
  text: string;
  /** The file offset of an offset in `text`. */
  toFileOffset: (offset: number) => number;
  /** The file offset just after the character at an offset in `text` (after its whole escape). */
  toFileEnd: (offset: number) => number;
}

/** How a library writes parameters inside the SQL string itself. */
export type PlaceholderStyle =
  /** `$1` (pg, TypeORM `.query`, Prisma `…Unsafe`): nothing to rewrite. */
  | 'dollar'
  /** knex.raw: `?` (a value), `??` (an identifier: dynamic). */
  | 'question'
  /** Sequelize replacements: `?` and `:name`. */
  | 'question-or-named'
  /** pg-promise: `$1`, `$<name>`, `$(name)`, `$/name/`, `${name}`, with `:raw` / `^` meaning raw text. */
  | 'pg-promise'
  /** TypeORM QueryBuilder conditions: `:name` and `:...names`; `alias.property` keeps its case. */
  | { typeormAliases: ReadonlySet<string> };

class Builder {
  chars = '';
  offsets: number[] = [];
  ends: number[] = [];
  dynamic = false;
  nextParam = 1;

  add(text: string, fileOffsetAt: (i: number) => number, fileEndAt: (i: number) => number = (i) => fileOffsetAt(i) + 1): void {
    for (let i = 0; i < text.length; i++) {
      this.offsets.push(fileOffsetAt(i));
      this.ends.push(fileEndAt(i));
    }
    this.chars += text;
  }

  /** An interpolation: a parameter when it stands where a value does, else the text is dynamic. */
  param(expression: ts.Expression, file: ts.SourceFile): void {
    if (!inValuePosition(this.chars) || isRawFragment(expression)) {
      this.dynamic = true;
      return;
    }
    const placeholder = `$${this.nextParam++}`;
    const start = expression.getStart(file);
    const end = expression.getEnd();
    this.add(placeholder, (i) => Math.min(start + i, end), (i) => (i === placeholder.length - 1 ? end : Math.min(start + i + 1, end)));
  }
}

/**
 * The SQL of an argument: a string or template literal, `'a' + 'b'` concatenations, a `const` of
 * this file holding one, a tagged template (`sql\`…\``, interpolations are parameters).
 */
export function sqlInCode(expression: ts.Expression, file: ts.SourceFile, style: PlaceholderStyle = 'dollar'): SqlInCode | undefined {
  const builder = new Builder();
  if (!collect(expression, file, builder, 0)) return undefined;
  if (builder.dynamic) return undefined;
  const rewritten = rewritePlaceholders(builder, style);
  if (!rewritten) return undefined;
  const { chars, offsets, ends } = rewritten;
  const last = ends.length > 0 ? ends[ends.length - 1]! : expression.getStart(file);
  return {
    text: chars,
    toFileOffset: (offset) => (offset < offsets.length ? offsets[Math.max(0, offset)]! : last),
    toFileEnd: (offset) => (offset < ends.length ? ends[Math.max(0, offset)]! : last),
  };
}

function collect(node: ts.Expression, file: ts.SourceFile, builder: Builder, depth: number): boolean {
  if (depth > 4) return false;
  const expression = unwrapExpression(node);
  if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) {
    addLiteral(expression, file, builder);
    return true;
  }
  if (ts.isTaggedTemplateExpression(expression)) return collectTemplate(expression.template, file, builder);
  if (ts.isTemplateExpression(expression)) return collectTemplate(expression, file, builder);
  if (ts.isBinaryExpression(expression) && expression.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return collect(expression.left, file, builder, depth) && collect(expression.right, file, builder, depth);
  }
  if (ts.isIdentifier(expression)) {
    // `const FIND_OPEN = 'SELECT …'; pool.query(FIND_OPEN)`
    const binding = resolveName(expression.text, expression);
    if (binding?.kind !== 'variable') return false;
    const declaration = binding.declaration;
    const list = declaration.parent;
    if (!declaration.initializer || !ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return false;
    return collect(declaration.initializer, file, builder, depth + 1);
  }
  return false;
}

function collectTemplate(template: ts.TemplateLiteral, file: ts.SourceFile, builder: Builder): boolean {
  if (ts.isNoSubstitutionTemplateLiteral(template)) {
    addLiteral(template, file, builder);
    return true;
  }
  addLiteral(template.head, file, builder);
  for (const span of template.templateSpans) {
    builder.param(span.expression, file);
    addLiteral(span.literal, file, builder);
  }
  return true;
}

/** A literal's cooked text, each character mapped to where it is written (escapes included). */
function addLiteral(node: ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateHead | ts.TemplateMiddle | ts.TemplateTail, file: ts.SourceFile, builder: Builder): void {
  const full = node.getText(file);
  const start = node.getStart(file);
  // Skip the opening delimiter (`'`, `"`, `` ` `` or `}`) and stop before the closing one (`'`, `` ` `` or `${`).
  const open = 1;
  const close = ts.isTemplateHead(node) || ts.isTemplateMiddle(node) ? 2 : 1;
  const raw = full.slice(open, full.length - close);
  const cooked = node.text;
  const map = cookedOffsets(raw);
  if (map && map.length === cooked.length) builder.add(cooked, (i) => start + open + map[i]!, (i) => start + open + (map[i + 1] ?? raw.length));
  else builder.add(cooked, () => start, () => start + full.length);
}

/** For each character of a literal's cooked value, its offset in the raw text; undefined when the escapes are not understood. */
function cookedOffsets(raw: string): number[] | undefined {
  const offsets: number[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '\r' && raw[i + 1] === '\n') {
      // Template literals cook CRLF to LF.
      offsets.push(i);
      i += 2;
      continue;
    }
    if (c !== '\\') {
      offsets.push(i);
      i++;
      continue;
    }
    const next = raw[i + 1];
    if (next === undefined) return undefined;
    if (next === '\n' || next === '\r') {
      // A line continuation cooks to nothing.
      i += next === '\r' && raw[i + 2] === '\n' ? 3 : 2;
      continue;
    }
    if (next === 'x') {
      offsets.push(i);
      i += 4;
      continue;
    }
    if (next === 'u') {
      if (raw[i + 2] === '{') {
        const close = raw.indexOf('}', i);
        if (close < 0) return undefined;
        const code = parseInt(raw.slice(i + 3, close), 16);
        offsets.push(i);
        if (code > 0xffff) offsets.push(i);
        i = close + 1;
      } else {
        offsets.push(i);
        i += 6;
      }
      continue;
    }
    offsets.push(i);
    i += 2;
  }
  return offsets;
}

/**
 * Whether an interpolation at the end of `sqlBefore` stands where a value does: after an operator,
 * `(`, `,`, `LIKE`, `IN`, `LIMIT`, `OFFSET`, `BETWEEN x AND`. After anything else (`FROM`, `WHERE`,
 * `ORDER BY`) it is a name or a fragment.
 */
function inValuePosition(sqlBefore: string): boolean {
  const code = blankCommentsAndStrings(sqlBefore).trimEnd();
  if (/[=<>(,~@&|+\-*/%!^[]$/.test(code)) return !/::$/.test(code);
  if (/\b(?:like|ilike|in|any|all|limit|offset|is|values|then|else|when|similar\s+to|distinct\s+from)$/i.test(code)) return true;
  return /\bbetween\s+(?:symmetric\s+)?\S+\s+and$/i.test(code);
}

/** `Prisma.raw(x)`, `sql.raw(x)`, `sql.identifier(…)`, `sql(name)` helpers, nested `sql\`…\`` fragments, `Prisma.sql`: not values. */
function isRawFragment(expression: ts.Expression): boolean {
  const node = unwrapExpression(expression);
  if (ts.isTaggedTemplateExpression(node)) return true;
  if (!ts.isCallExpression(node)) return false;
  const callee = unwrapExpression(node.expression);
  const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (/^(raw|unsafe|identifier|id|empty|sql|fragment)$/.test(name)) return true;
  // `sql(columns)` in postgres.js: the tag called as a function names identifiers.
  return ts.isIdentifier(callee) && /^(sql|db)$/.test(callee.text);
}

/** Rewrites a library's own placeholders to `$n`; undefined when one of them inserts raw SQL. */
function rewritePlaceholders(builder: Builder, style: PlaceholderStyle): { chars: string; offsets: number[]; ends: number[] } | undefined {
  if (style === 'dollar') return { chars: builder.chars, offsets: builder.offsets, ends: builder.ends };
  const text = builder.chars;
  const code = blankCommentsAndStrings(text);
  let next = builder.nextParam;
  let chars = '';
  const offsets: number[] = [];
  const ends: number[] = [];
  let i = 0;
  const emit = (placeholder: string, from: number, length: number): void => {
    for (let k = 0; k < placeholder.length; k++) {
      const source = Math.min(from + Math.min(k, length - 1), text.length - 1);
      offsets.push(builder.offsets[source]!);
      ends.push(k === placeholder.length - 1 ? builder.ends[from + length - 1]! : builder.ends[source]!);
    }
    chars += placeholder;
  };
  while (i < text.length) {
    const rest = code.slice(i);
    let match: RegExpExecArray | null = null;
    if (typeof style === 'object') {
      if (code[i] === ':' && code[i - 1] !== ':' && code[i + 1] !== ':' && (match = /^:(?:\.\.\.)?[A-Za-z_]\w*/.exec(rest))) {
        emit(`$${next++}`, i, match[0].length);
        i += match[0].length;
        continue;
      }
      // `o.createdAt`: TypeORM writes property paths itself; quoted here so the parser keeps their case.
      if (!/[\w."$]/.test(code[i - 1] ?? '') && (match = /^([A-Za-z_]\w*)\.([A-Za-z_]\w*)/.exec(rest)) && style.typeormAliases.has(match[1]!)) {
        const alias = match[1]!;
        const quoted = `"${alias}"."${match[2]}"`;
        for (let k = 0; k < quoted.length; k++) {
          // Each quote maps to the character it stands beside.
          const a = alias.length;
          const local = k === 0 ? 0 : k <= a ? k - 1 : k === a + 1 ? a - 1 : k === a + 2 ? a : k === a + 3 ? a + 1 : k - 3;
          const source = i + Math.min(local, match[0].length - 1);
          offsets.push(builder.offsets[source]!);
          ends.push(builder.ends[source]!);
        }
        chars += quoted;
        i += match[0].length;
        continue;
      }
    } else if (style === 'question' || style === 'question-or-named') {
      if (code[i] === '?' && code[i + 1] === '?') return undefined;
      if (code[i] === '?' && code[i - 1] !== '\\') {
        emit(`$${next++}`, i, 1);
        i++;
        continue;
      }
      if (style === 'question-or-named' && code[i] === ':' && code[i - 1] !== ':' && (match = /^:([A-Za-z_]\w*)/.exec(rest))) {
        emit(`$${next++}`, i, match[0].length);
        i += match[0].length;
        continue;
      }
    } else if (code[i] === '$') {
      match = /^\$(?:\d+|<\w+(?:\.\w+)*>|\(\w+(?:\.\w+)*\)|\/\w+(?:\.\w+)*\/|\{\w+(?:\.\w+)*\}|\[\w+(?:\.\w+)*\])(\^|:raw|:name|:alias|:value|:csv|:list|:json)?/.exec(rest);
      if (match) {
        const filter = match[1];
        if (filter && /^(\^|:raw|:name|:alias|:value)$/.test(filter)) return undefined;
        emit(/^\$\d+$/.test(match[0].replace(filter ?? '', '')) ? match[0].replace(filter ?? '', '') : `$${next++}`, i, match[0].length);
        i += match[0].length;
        continue;
      }
    }
    chars += text[i];
    offsets.push(builder.offsets[i]!);
    ends.push(builder.ends[i]!);
    i++;
  }
  return { chars, offsets, ends };
}
