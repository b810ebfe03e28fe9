import { ts } from 'ts-morph';
import { unwrapExpression } from '../ast/call-shape';
import { classMember, enclosingClass, resolveName } from '../ast/scope';

/** `Order`, `Order[]`, `Array<Order>` (with `array`), by the type's written name. */
export function entityOfType(type: ts.TypeNode | undefined, array: boolean): string | undefined {
  if (!type) return undefined;
  if (array && ts.isArrayTypeNode(type)) return entityOfType(type.elementType, false);
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return undefined;
  if (array) return /^(Array|ReadonlyArray)$/.test(type.typeName.text) ? entityOfType(type.typeArguments?.[0], false) : undefined;
  return type.typeArguments ? undefined : type.typeName.text;
}

/**
 * The entity class a TypeORM repository handle stands for, from what the code writes:
 * `@InjectRepository(Order)` or `Repository<Order>` on a property, parameter or variable,
 * `dataSource.getRepository(Order)` (also assigned to `this.orders` in the constructor),
 * `this` inside `class OrderRepository extends Repository<Order>`, and an Active Record class
 * (`Order.findBy(…)`). The caller has already established that `handle` is a repository.
 */
export function repositoryEntity(handle: ts.Expression, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  const node = unwrapExpression(handle);
  if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && /^(getRepository|getTreeRepository)$/.test(node.expression.name.text)) {
    const argument = node.arguments[0] && unwrapExpression(node.arguments[0]);
    return argument && (ts.isIdentifier(argument) || ts.isStringLiteralLike(argument)) ? argument.text : undefined;
  }
  if (node.kind === ts.SyntaxKind.ThisKeyword) {
    const base = enclosingClass(node)?.heritageClauses?.find((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
    const argument = base?.typeArguments?.[0];
    return argument ? entityOfType(argument, false) : undefined;
  }
  let declaration: ts.ParameterDeclaration | ts.PropertyDeclaration | ts.VariableDeclaration | undefined;
  let assignments: readonly ts.Expression[] = [];
  if (ts.isPropertyAccessExpression(node) && node.expression.kind === ts.SyntaxKind.ThisKeyword) {
    const cls = enclosingClass(node);
    const member = cls && classMember(cls, node.name.text);
    declaration = member?.parameter ?? member?.property;
    assignments = member?.assignments ?? [];
    if (member?.property?.initializer && !member.property.type) assignments = [member.property.initializer, ...assignments];
  } else if (ts.isIdentifier(node)) {
    const binding = resolveName(node.text, node);
    if (binding && (binding.kind === 'parameter' || binding.kind === 'variable')) declaration = binding.declaration;
    // Active Record: `Order.find(…)` on a class extending BaseEntity (declared here or imported).
    if (binding && (binding.kind === 'class' || binding.kind === 'import')) return node.text;
    if (declaration && ts.isVariableDeclaration(declaration) && !declaration.type && declaration.initializer) return repositoryEntity(declaration.initializer, depth + 1);
  }
  if (declaration) {
    const type = declaration.type;
    if (type && ts.isTypeReferenceNode(type) && type.typeArguments?.[0]) return entityOfType(type.typeArguments[0], false);
    if (!ts.isVariableDeclaration(declaration)) {
      for (const decorator of ts.getDecorators(declaration) ?? []) {
        const expression = decorator.expression;
        if (ts.isCallExpression(expression) && ts.isIdentifier(expression.expression) && expression.expression.text === 'InjectRepository' && expression.arguments[0] && ts.isIdentifier(expression.arguments[0])) return expression.arguments[0].text;
      }
    }
  }
  for (const assigned of assignments) {
    const entity = repositoryEntity(assigned, depth + 1);
    if (entity) return entity;
  }
  return undefined;
}
