import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ts } from 'ts-morph';
import { ImportTable } from './import-table';

function table(code: string): ImportTable {
  return ImportTable.of(ts.createSourceFile('x.ts', code, ts.ScriptTarget.Latest, true));
}

describe('ImportTable', () => {
  it('binds default, named, aliased and namespace imports', () => {
    const imports = table(`
      import axios, { AxiosInstance } from 'axios';
      import { HttpService as Http } from '@nestjs/axios';
      import * as https from 'node:https';
      import got = require('got');
    `);
    assert.deepEqual(pick(imports, 'axios'), { module: 'axios', imported: 'default' });
    assert.deepEqual(pick(imports, 'AxiosInstance'), { module: 'axios', imported: 'AxiosInstance' });
    assert.deepEqual(pick(imports, 'Http'), { module: '@nestjs/axios', imported: 'HttpService' });
    assert.deepEqual(pick(imports, 'https'), { module: 'node:https', imported: '*' });
    assert.deepEqual(pick(imports, 'got'), { module: 'got', imported: '*' });
  });

  it('binds CommonJS requires, destructured and with a member', () => {
    const imports = table(`
      const fetch = require('node-fetch');
      const { request: undiciRequest, fetch: undiciFetch } = require('undici');
      const axios = require('axios').default;
    `);
    assert.deepEqual(pick(imports, 'fetch'), { module: 'node-fetch', imported: '*' });
    assert.deepEqual(pick(imports, 'undiciRequest'), { module: 'undici', imported: 'request' });
    assert.deepEqual(pick(imports, 'undiciFetch'), { module: 'undici', imported: 'fetch' });
    assert.deepEqual(pick(imports, 'axios'), { module: 'axios', imported: 'default' });
    assert.deepEqual(imports.localNamesFor(['undici']).sort(), ['undiciFetch', 'undiciRequest']);
    assert.equal(imports.importsModule(['got']), false);
  });

  it('ignores type-only declarations that bind nothing and non-literal requires', () => {
    const imports = table(`const name = 'axios'; const x = require(name); import 'reflect-metadata';`);
    assert.equal(imports.get('x'), undefined);
    assert.equal([...imports.entries()].length, 0);
  });
});

function pick(imports: ImportTable, name: string): { module: string; imported: string } | undefined {
  const binding = imports.get(name);
  return binding && { module: binding.module, imported: binding.imported };
}
