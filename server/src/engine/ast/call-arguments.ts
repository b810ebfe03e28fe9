import { ts } from 'ts-morph';
import type { SpanEdit } from '../model/rule';
import { unwrapExpression } from './call-shape';

/**
 * An edit that makes `argumentText` the call's argument at `index`, filling skipped positions
 * with `undefined` (`axios.post(url)` + config at 2 -> `axios.post(url, undefined, { … })`).
 * When an argument already sits at `index`, the new one is inserted before it.
 */
export function insertArgumentEdit(call: ts.CallExpression, index: number, argumentText: string): SpanEdit {
  const args = call.arguments;
  if (index < args.length) {
    const start = args[index]!.getStart();
    return { span: { start, end: start }, newText: `${argumentText}, ` };
  }
  const fillers = Array.from({ length: index - args.length }, () => 'undefined');
  const parts = [...fillers, argumentText].join(', ');
  if (args.length === 0) return { span: { start: args.pos, end: args.pos }, newText: parts };
  const last = args[args.length - 1]!;
  return { span: { start: last.end, end: last.end }, newText: `, ${parts}` };
}

/** Whether an argument is a function written inline or a name that reads like a callback. */
export function isCallbackArgument(argument: ts.Expression | undefined): boolean {
  if (!argument) return false;
  const node = unwrapExpression(argument);
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return true;
  return ts.isIdentifier(node) && /^(cb|callback|done|next|handler|on[A-Z]\w*)$/.test(node.text);
}

/** An edit inserting `text` right after `node` (`.timeout(5000)` after a call). */
export function insertAfterEdit(node: ts.Node, text: string): SpanEdit {
  return { span: { start: node.end, end: node.end }, newText: text };
}
