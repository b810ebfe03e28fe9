import { ts } from 'ts-morph';
import { accessPath, isFunctionLike, unwrapExpression } from '../../engine/ast/call-shape';
import { propertyName } from '../../engine/ast/object-literal';
import { classMember, declaredTypeName, enclosingClass, resolveName } from '../../engine/ast/scope';
import type { ParsedFile } from '../../engine/source/parsed-file';
import { ORM_MODULES } from '../auth-tokens/libraries';
import { tokenEvidence } from '../auth-tokens/token-flow';
import { nameWords } from '../auth-tokens/token-words';

/** Calls that write rows: TypeORM, Prisma, Sequelize, MikroORM, Mongoose, Knex / Drizzle builders. */
const WRITE_METHODS = /^(save|insert|update|upsert|create|createMany|updateMany|bulkCreate|persist|persistAndFlush|insertOne|insertMany|updateOne|findOneAndUpdate|findByIdAndUpdate|set|values|merge|assign)$/;
const LOOKUP_METHODS = /^(findOne|findOneBy|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|findOneOrFail|findBy|find|findAll|exists|count|delete|deleteMany|where|andWhere)$/;
/** Receivers that are a database handle, by declared type or by name. */
const DB_TYPE = /(Repository|Prisma\w*|Model|EntityManager|DataSource|Knex|Kysely|Database|Db|Transaction|Collection|QueryBuilder|Sql|Pool|Client)\b/;
const DB_NAME = /^(prisma\w*|\w*repo|\w*Repo|\w*[rR]epository|\w*Model|db|database|knex|em|entityManager|manager|orm|tx|trx|transaction|sql|pool|client|queryRunner|\w*Collection)$/;
const SQL_WRITE = /\b(insert\s+into|update)\b[\s\S]*\brefresh_?token/i;

/** A refresh-token column: `refreshToken`, `refresh_token`, `hashedRefreshToken`, not `refreshTokenExpiresAt`. */
export function isRefreshColumn(name: string): boolean {
  const words = nameWords(name);
  if (!words.includes('refresh') || !(words.includes('token') || words.includes('tokens'))) return false;
  const last = words[words.length - 1]!;
  return /^(token|tokens|hash|hashed|digest|value|plain)$/.test(last);
}

/** A call that writes to the database, identified by the receiver's declared type or name, in a file that uses an ORM or driver. */
export function isDbWrite(call: ts.CallExpression, file: ParsedFile): boolean {
  const callee = unwrapExpression(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !WRITE_METHODS.test(callee.name.text)) return false;
  return isDbReceiver(callee.expression, file);
}

export function isDbLookup(call: ts.CallExpression, file: ParsedFile): boolean {
  const callee = unwrapExpression(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || !LOOKUP_METHODS.test(callee.name.text)) return false;
  return isDbReceiver(callee.expression, file);
}

function isDbReceiver(receiver: ts.Expression, file: ParsedFile): boolean {
  // Builder chains: `db.update(users).set({...})`, `knex('sessions').insert({...})`, `this.prisma.session.create`.
  let root: ts.Expression = unwrapExpression(receiver);
  for (let guard = 0; guard < 8; guard++) {
    if (ts.isCallExpression(root)) root = unwrapExpression(root.expression);
    else if (ts.isPropertyAccessExpression(root)) {
      if (isDbHandle(root, file)) return true;
      root = unwrapExpression(root.expression);
    } else break;
  }
  return isDbHandle(root, file);
}

function isDbHandle(node: ts.Expression, file: ParsedFile): boolean {
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(node);
    const member = cls && classMember(cls, node.name.text);
    const declaration = member?.parameter ?? member?.property;
    const typeName = declaration && declaredTypeName(declaration);
    if (typeName && DB_TYPE.test(typeName)) return true;
    if (declaration && hasInjectDecorator(declaration)) return true;
    return DB_NAME.test(node.name.text) && usesOrm(file);
  }
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding && (binding.kind === 'parameter' || binding.kind === 'variable')) {
      const typeName = declaredTypeName(binding.declaration);
      if (typeName && DB_TYPE.test(typeName)) return true;
    }
    const imported = file.imports.get(node.text);
    if (imported && ORM_MODULES.test(imported.module)) return true;
    // A Sequelize / Mongoose model class: `Session.create({...})` in a file that imports the ORM.
    if (binding?.kind === 'class' || (imported && /model|entit|schema/i.test(imported.module))) return usesOrm(file);
    return (DB_NAME.test(node.text) || /^[A-Z]\w*(Model|Entity)?$/.test(node.text) && !!imported) && usesOrm(file);
  }
  return false;
}

function hasInjectDecorator(declaration: ts.Node): boolean {
  return !!ts.canHaveDecorators(declaration) && !!ts.getDecorators(declaration)?.some((decorator) => /Inject(Repository|Model|EntityManager|DataSource|Connection)/.test(decorator.getText()));
}

export function usesOrm(file: ParsedFile): boolean {
  for (const [, binding] of file.imports.entries()) if (ORM_MODULES.test(binding.module) || /prisma|repositor|\.entity|\.model|database|\bdb\b/i.test(binding.module)) return true;
  return false;
}

/** The call an object literal is (nested) an argument of: `repo.update(id, { refreshToken })`, `prisma.x.update({ data: {...} })`. */
export function argumentCall(object: ts.ObjectLiteralExpression): ts.CallExpression | undefined {
  let node: ts.Node = object;
  for (let guard = 0; guard < 6; guard++) {
    const parent: ts.Node | undefined = node.parent;
    if (!parent) return undefined;
    if (ts.isCallExpression(parent)) return parent.arguments.includes(node as ts.Expression) ? parent : undefined;
    if (ts.isPropertyAssignment(parent) || ts.isObjectLiteralExpression(parent) || ts.isArrayLiteralExpression(parent) || ts.isParenthesizedExpression(parent) || ts.isAsExpression(parent)) {
      node = parent;
      continue;
    }
    return undefined;
  }
  return undefined;
}

/** Whether an object literal sits under a `where` key: it looks a row up rather than writing one. */
export function isUnderWhere(property: ts.Node): boolean {
  for (let node: ts.Node | undefined = property.parent; node && !ts.isCallExpression(node); node = node.parent) {
    if (ts.isPropertyAssignment(node) && /^(where|filter|conditions)$/.test(propertyName(node) ?? '')) return true;
  }
  return false;
}

/** What the written value is, if it is an unhashed token: its label for the message. */
export function plaintextToken(value: ts.Expression, file: ParsedFile, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const node = unwrapAwait(value);
  if (isHashed(node, file, depth)) return undefined;
  if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'variable' && binding.declaration.initializer && ts.isIdentifier(binding.declaration.name)) {
      const inner = plaintextToken(binding.declaration.initializer, file, depth + 1);
      if (inner) return inner === binding.declaration.initializer.getText(file.ast) ? `\`${node.text}\`` : `\`${node.text}\` (${inner})`;
      if (isHashed(unwrapAwait(binding.declaration.initializer), file, depth + 1)) return undefined;
    }
  }
  if (ts.isIdentifier(node)) {
    // A parameter written to a refresh-token column as it arrives: `saveSession(userId, rt)`.
    const binding = resolveName(node.text, node);
    if (binding?.kind === 'parameter' && (!binding.declaration.type || binding.declaration.type.kind === ts.SyntaxKind.StringKeyword)) return `\`${node.text}\``;
  }
  if (ts.isCallExpression(node) && isTokenGenerator(node)) return `\`${shortText(node.expression.getText(file.ast))}(...)\``;
  const evidence = tokenEvidence(node, file);
  if (evidence) return evidence.kind === 'name' ? `\`${evidence.label}\`` : evidence.label;
  return undefined;
}

/** `bcrypt.hash(t)`, `argon2.hash(t)`, `createHash('sha256').update(t).digest('hex')`, `this.hashToken(t)`, `hashedToken`. */
export function isHashed(node: ts.Expression, file: ParsedFile, depth = 0): boolean {
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) {
    const name = ts.isIdentifier(node) ? node.text : node.name.text;
    if (nameWords(name).some((word) => /^(hash|hashed|digest|encrypted|encrypt|sha256|hmac)$/.test(word))) return true;
    if (ts.isIdentifier(node) && depth < 4) {
      const binding = resolveName(node.text, node);
      if (binding?.kind === 'variable' && binding.declaration.initializer) return isHashed(unwrapAwait(binding.declaration.initializer), file, depth + 1);
    }
    return false;
  }
  if (ts.isCallExpression(node)) {
    const text = node.expression.getText(file.ast);
    if (/(hash|Hash|digest|scrypt|pbkdf2|Hmac|encrypt|Encrypt|sha256|sha512|argon2|bcrypt)/.test(text)) return true;
    return false;
  }
  if (ts.isConditionalExpression(node)) return isHashed(unwrapAwait(node.whenTrue), file, depth + 1) || isHashed(unwrapAwait(node.whenFalse), file, depth + 1);
  return false;
}

function isTokenGenerator(call: ts.CallExpression): boolean {
  const callee = unwrapExpression(call.expression);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (/^(randomBytes|randomUUID|uuid|v4|uuidv4|nanoid|generateRefreshToken|createRefreshToken|issueRefreshToken|signRefreshToken)$/.test(method)) return true;
  // `crypto.randomBytes(32).toString('hex')`
  if (ts.isPropertyAccessExpression(callee) && /^(toString|toString64)$/.test(method) && ts.isCallExpression(callee.expression)) return isTokenGenerator(callee.expression);
  return false;
}

/** `entity.refreshToken = value` followed by a write of `entity` in the same function. */
export function savedAfterAssignment(assignment: ts.BinaryExpression, file: ParsedFile): ts.CallExpression | undefined {
  const target = assignment.left;
  if (!ts.isPropertyAccessExpression(target)) return undefined;
  const path = accessPath(target.expression);
  if (!path) return undefined;
  const owner = path.join('.');
  let scope: ts.Node | undefined = assignment.parent;
  while (scope && !isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  if (!scope) return undefined;
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(node) && node.pos > assignment.end && isDbWrite(node, file) && node.arguments.some((argument) => accessPath(unwrapExpression(argument))?.join('.') === owner)) found = node;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return found;
}

/** Raw SQL writing a refresh-token column: the SQL text and the parameter expressions. */
export function rawSqlWrite(call: ts.CallExpression): { parameters: ts.Expression[] } | undefined {
  const callee = unwrapExpression(call.expression);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
  if (!/^(query|execute|raw|none|one|oneOrNone|any|many|\$executeRaw|\$executeRawUnsafe|\$queryRaw|\$queryRawUnsafe|run|exec)$/.test(method)) return undefined;
  const sql = call.arguments[0] && unwrapExpression(call.arguments[0]);
  if (!sql) return undefined;
  if (ts.isStringLiteralLike(sql)) return SQL_WRITE.test(sql.text) ? { parameters: call.arguments.slice(1).flatMap(arrayItems) } : undefined;
  if (ts.isTemplateExpression(sql)) return SQL_WRITE.test(sql.getText()) ? { parameters: sql.templateSpans.map((span) => span.expression) } : undefined;
  return undefined;
}

/** Tagged templates: sql`UPDATE ... SET refresh_token = ${token}`. */
export function taggedSqlWrite(node: ts.TaggedTemplateExpression): { parameters: ts.Expression[] } | undefined {
  if (!ts.isTemplateExpression(node.template) || !SQL_WRITE.test(node.template.getText())) return undefined;
  return { parameters: node.template.templateSpans.map((span) => span.expression) };
}

function arrayItems(expression: ts.Expression): ts.Expression[] {
  const node = unwrapExpression(expression);
  return ts.isArrayLiteralExpression(node) ? [...node.elements] : [node];
}

function unwrapAwait(expression: ts.Expression): ts.Expression {
  let node = unwrapExpression(expression);
  while (ts.isAwaitExpression(node)) node = unwrapExpression(node.expression);
  return node;
}

function shortText(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}
