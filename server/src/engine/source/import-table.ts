import { ts } from 'ts-morph';

/** What a local name is bound to by an import or a require. */
export interface ImportBinding {
  /** The module specifier as written: 'axios', '@nestjs/axios', './http-client'. */
  module: string;
  /** 'default', '*' for a namespace or a whole `require(...)`, or the exported name. */
  imported: string;
  /** The declaration that binds the name, for related locations and fixes. */
  node: ts.Node;
}

/**
 * Local names bound by ES imports, `import x = require()` and CommonJS requires at any depth of
 * a variable declaration (`const { get } = require('axios')`). This is what lets rules know a
 * client without a type checker, so they work before node_modules is installed.
 */
export class ImportTable {
  private constructor(private readonly bindings: Map<string, ImportBinding>) {}

  static empty(): ImportTable {
    return new ImportTable(new Map());
  }

  static of(sourceFile: ts.SourceFile): ImportTable {
    const bindings = new Map<string, ImportBinding>();
    for (const statement of sourceFile.statements) {
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        collectImportClause(statement, statement.moduleSpecifier.text, bindings);
      } else if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
        const expression = statement.moduleReference.expression;
        if (ts.isStringLiteral(expression)) bindings.set(statement.name.text, { module: expression.text, imported: '*', node: statement });
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) collectRequire(declaration, bindings);
      }
    }
    return new ImportTable(bindings);
  }

  get(localName: string): ImportBinding | undefined {
    return this.bindings.get(localName);
  }

  /** Local names bound to `module` (exactly, or any of several spellings). */
  localNamesFor(modules: readonly string[], imported?: string): string[] {
    const names: string[] = [];
    for (const [name, binding] of this.bindings) {
      if (modules.includes(binding.module) && (imported === undefined || binding.imported === imported)) names.push(name);
    }
    return names;
  }

  importsModule(modules: readonly string[]): boolean {
    for (const binding of this.bindings.values()) if (modules.includes(binding.module)) return true;
    return false;
  }

  /** Every binding, for rules that look for a family of modules. */
  entries(): IterableIterator<[string, ImportBinding]> {
    return this.bindings.entries();
  }
}

function collectImportClause(statement: ts.ImportDeclaration, module: string, bindings: Map<string, ImportBinding>): void {
  const clause = statement.importClause;
  if (!clause) return;
  if (clause.name) bindings.set(clause.name.text, { module, imported: 'default', node: clause });
  const named = clause.namedBindings;
  if (!named) return;
  if (ts.isNamespaceImport(named)) {
    bindings.set(named.name.text, { module, imported: '*', node: named });
    return;
  }
  for (const element of named.elements) {
    const imported = (element.propertyName ?? element.name).text;
    bindings.set(element.name.text, { module, imported, node: element });
  }
}

function collectRequire(declaration: ts.VariableDeclaration, bindings: Map<string, ImportBinding>): void {
  const init = declaration.initializer;
  if (!init) return;
  const required = requiredModule(init);
  if (!required) return;
  const { module, member } = required;
  if (ts.isIdentifier(declaration.name)) {
    bindings.set(declaration.name.text, { module, imported: member ?? '*', node: declaration });
    return;
  }
  if (ts.isObjectBindingPattern(declaration.name) && member === undefined) {
    for (const element of declaration.name.elements) {
      if (!ts.isIdentifier(element.name)) continue;
      const property = element.propertyName && ts.isIdentifier(element.propertyName) ? element.propertyName.text : element.name.text;
      bindings.set(element.name.text, { module, imported: property, node: element });
    }
  }
}

/** `require('m')`, `require('m').default`, `require('m').name`. */
function requiredModule(expression: ts.Expression): { module: string; member?: string } | undefined {
  if (isRequireCall(expression)) return { module: (expression.arguments[0] as ts.StringLiteral).text };
  if (ts.isPropertyAccessExpression(expression) && isRequireCall(expression.expression)) {
    const member = expression.name.text;
    return { module: (expression.expression.arguments[0] as ts.StringLiteral).text, member };
  }
  return undefined;
}

function isRequireCall(node: ts.Node): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1 &&
    ts.isStringLiteralLike(node.arguments[0]!)
  );
}
