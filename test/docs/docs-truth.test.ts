import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/rules/registry';
import type { OptionSpec } from '../../server/src/engine/model/rule-options';

const repo = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

describe('documentation tells the truth', () => {
  it('every registered rule has a docs page with the sections a reader needs, naming each option', () => {
    for (const rule of RULES) {
      const page = path.join(repo, 'docs/rules', `${rule.meta.id}.md`);
      assert.ok(fs.existsSync(page), `missing ${page}`);
      const text = fs.readFileSync(page, 'utf8');
      assert.match(text, new RegExp(`^# ${rule.meta.id}$`, 'm'));
      for (const section of ['## Why', '## How to fix', '## Options', '## Deliberately ignored']) assert.ok(text.includes(section), `${rule.meta.id}: no "${section}"`);
      for (const option of Object.keys(rule.options as Record<string, OptionSpec>)) assert.ok(text.includes(`\`${option}\``), `${rule.meta.id}: option ${option} undocumented`);
    }
  });

  it("README's rules table lists every rule with its docs link, skill and default severity", () => {
    for (const rule of RULES) {
      const row = readme.split('\n').find((line) => line.startsWith(`| [\`${rule.meta.id}\`](docs/rules/${rule.meta.id}.md)`));
      assert.ok(row, `README rules table has no row for ${rule.meta.id}`);
      assert.ok(row.includes(`| ${rule.meta.skill} |`) && row.includes(`| ${rule.meta.defaultSeverity} |`), row);
    }
  });

  it("README's settings table lists every contributed setting with its default", () => {
    for (const [key, spec] of Object.entries(manifest.contributes.configuration.properties as Record<string, { default: unknown }>)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
      assert.ok(row, `README settings table has no row for ${key}`);
      assert.ok(row.includes(`\`${JSON.stringify(spec.default)}\``), `${key}: README default differs from package.json (${JSON.stringify(spec.default)})`);
    }
  });

  it('README keeps the two quick-start commands', () => {
    assert.ok(readme.includes('npm ci && npm run demo'));
    assert.ok(readme.includes('npm ci && npm test'));
  });
});
