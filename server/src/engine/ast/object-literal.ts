import { ts } from 'ts-morph';
import type { SpanEdit } from '../model/rule';

/** The property named `name` of an object literal (plain, shorthand or method), if present. */
export function findProperty(object: ts.ObjectLiteralExpression, name: string): ts.ObjectLiteralElementLike | undefined {
  for (const property of object.properties) if (propertyName(property) === name) return property;
  return undefined;
}

export function propertyName(property: ts.ObjectLiteralElementLike): string | undefined {
  const name = property.name;
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteralLike(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** The value expression of a property: the initializer, or the name itself for `{ signal }`. */
export function propertyValue(property: ts.ObjectLiteralElementLike): ts.Expression | undefined {
  if (ts.isPropertyAssignment(property)) return property.initializer;
  if (ts.isShorthandPropertyAssignment(property)) return property.name;
  return undefined;
}

/** Whether the literal spreads another object in, whose keys the analysis cannot see. */
export function hasSpread(object: ts.ObjectLiteralExpression): boolean {
  return object.properties.some((property) => ts.isSpreadAssignment(property));
}

/**
 * An edit adding `propertyText` (e.g. `timeout: 5000`) to an object literal, following its layout:
 * `{}` becomes `{ timeout: 5000 }`, one-line literals get `, timeout: 5000`, multi-line ones a new
 * line indented like the last property.
 */
export function addPropertyEdit(object: ts.ObjectLiteralExpression, propertyText: string): SpanEdit {
  const source = object.getSourceFile();
  const text = source.text;
  const last = object.properties[object.properties.length - 1];
  if (!last) return { span: { start: object.getStart(source), end: object.end }, newText: `{ ${propertyText} }` };
  const multiLine = text.slice(object.getStart(source), object.end).includes('\n');
  if (!multiLine) return { span: { start: last.end, end: last.end }, newText: `, ${propertyText}` };
  const lineStart = text.lastIndexOf('\n', last.getStart(source)) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
  return { span: { start: last.end, end: last.end }, newText: `,\n${indent}${propertyText}` };
}

/** An edit replacing a whole property (`timeout: 5000`, `{ signal }`) with `propertyText`. */
export function replacePropertyEdit(property: ts.ObjectLiteralElementLike, propertyText: string): SpanEdit {
  return { span: { start: property.getStart(), end: property.end }, newText: propertyText };
}
