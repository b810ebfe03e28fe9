import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addImport, registerInModule } from './module-registration';
import { kebab, pascal, plural, relativeImport, singular } from './names';

const reg = (className: string, array: 'imports' | 'providers' = 'imports') => ({ moduleFile: 'src/app.module.ts', array, className, classFile: `src/x/${kebab(className)}.ts` });

describe('module registration', () => {
  it('appends to a one-line array after a comment that holds brackets, and adds the import', () => {
    const text = `import { Module } from '@nestjs/common';\nimport { HttpModule } from '@nestjs/axios';\n\n@Module({\n  // No timeout here: [sic] {\n  imports: [HttpModule.register({ maxRedirects: 3 })],\n  providers: [],\n})\nexport class AppModule {}\n`;
    const updated = registerInModule(text, reg('PaymentsClientModule'))!;
    assert.match(updated, /imports: \[HttpModule\.register\(\{ maxRedirects: 3 \}\), PaymentsClientModule\],/);
    assert.match(updated, /import \{ HttpModule \} from '@nestjs\/axios';\nimport \{ PaymentsClientModule \} from '\.\/x\/payments-client-module';\n/);
    assert.equal(registerInModule(updated, reg('PaymentsClientModule')), updated, 'idempotent');
  });

  it('appends to a multi-line array keeping its style, and creates a missing array', () => {
    const text = `import { Module } from '@nestjs/common';\n\n@Module({\n  imports: [\n    A,\n    B,\n  ],\n})\nexport class AppModule {}\n`;
    assert.match(registerInModule(text, reg('C'))!, /imports: \[\n {4}A,\n {4}B,\n {4}C,\n {2}\],/);
    assert.match(registerInModule(text, reg('Loader', 'providers'))!, /@Module\(\{\n {2}providers: \[Loader\],\n {2}imports/);
    assert.match(registerInModule(`@Module({})\nexport class M {}\n`, reg('X'))!, /@Module\(\{\n {2}imports: \[X\],\n\}\)/);
    assert.equal(registerInModule('export class NotAModule {}', reg('X')), undefined);
  });

  it('keeps an existing import and computes relative paths', () => {
    assert.equal(addImport(`import { X } from './x';\n`, 'X', './x'), `import { X } from './x';\n`);
    assert.equal(relativeImport('src/app.module.ts', 'src/payments/payments.client.ts'), './payments/payments.client');
    assert.equal(relativeImport('src/orders/orders.service.ts', 'src/common/errors/error-response.ts'), '../common/errors/error-response');
  });

  it('derives names', () => {
    assert.equal(pascal('order items'), 'OrderItems');
    assert.equal(kebab('OrderItem'), 'order-item');
    assert.equal(singular('categories'), 'category');
    assert.equal(singular('addresses'), 'address');
    assert.equal(plural('category'), 'categories');
    assert.equal(plural('order'), 'orders');
  });
});
