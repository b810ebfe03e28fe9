import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { configJsonSchemaText } from '../../server/src/engine/config/config-json-schema';
import { EDITOR_ONLY_SETTINGS, SETTING_DEFAULTS, SETTING_DESCRIPTIONS } from '../../server/src/engine/config/settings-schema';
import { CONFIGURED_SEVERITIES } from '../../server/src/engine/model/severity';
import type { OptionSpec } from '../../server/src/engine/model/rule-options';
import { DEFAULT_EDITOR_SETTINGS } from '../../server/src/lsp/settings';
import { SHOW_RULE_DOCS_COMMAND } from '../../server/src/lsp/protocol';
import { RULES } from '../../server/src/rules/registry';

const repo = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const schema = JSON.parse(fs.readFileSync(path.join(repo, 'schemas/backend-advisor.schema.json'), 'utf8'));
const properties: Record<string, { default?: unknown; scope?: string; additionalProperties?: { anyOf: Array<{ enum?: string[] }> } }> = pkg.contributes.configuration.properties;

describe('package.json contributes', () => {
  it('declares exactly the settings typed in settings-schema.ts, as backendAdvisor.<key>', () => {
    const expected = [...Object.keys(SETTING_DESCRIPTIONS), ...EDITOR_ONLY_SETTINGS].map((key) => `backendAdvisor.${key}`).sort();
    assert.deepEqual(Object.keys(properties).sort(), expected);
    assert.equal(pkg.contributes.configuration.title, 'Backend Advisor');
  });

  it('uses the engine defaults and severities', () => {
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) assert.deepEqual(properties[`backendAdvisor.${key}`]!.default, value, key);
    assert.equal(properties['backendAdvisor.debounce']!.default, DEFAULT_EDITOR_SETTINGS.debounce);
    assert.equal(properties['backendAdvisor.enable']!.default, DEFAULT_EDITOR_SETTINGS.enable);
    const [asString] = properties['backendAdvisor.rules']!.additionalProperties!.anyOf;
    assert.deepEqual(asString!.enum, [...CONFIGURED_SEVERITIES]);
    for (const key of Object.keys(SETTING_DESCRIPTIONS)) assert.equal(properties[`backendAdvisor.${key}`]!.scope, 'resource', `${key} can differ per folder`);
  });

  it('contributes the commands, hides the docs command from the palette and validates the config file', () => {
    const commands = pkg.contributes.commands.map((command: { command: string; category: string }) => {
      assert.equal(command.category, 'Backend Advisor');
      return command.command;
    });
    const skillCommands = ['backendAdvisor.skills.refresh', 'backendAdvisor.skills.enable', 'backendAdvisor.skills.disable'];
    const scaffolds = ['backendAdvisor.scaffold.circuitBreaker', 'backendAdvisor.scaffold.dataLoader', 'backendAdvisor.scaffold.errorContract', 'backendAdvisor.scaffold.resource', 'backendAdvisor.scaffold.jwtAuth', 'backendAdvisor.scaffold.indexForQuery'];
    assert.deepEqual(commands.sort(), ['backendAdvisor.restartServer', 'backendAdvisor.scanWorkspace', 'backendAdvisor.showOutput', 'backendAdvisor.verifyWithPlanner', SHOW_RULE_DOCS_COMMAND, ...skillCommands, ...scaffolds].sort());
    // The docs command and the skill view's item commands need an argument: hidden from the palette.
    const hidden = pkg.contributes.menus.commandPalette.filter((entry: { when: string }) => entry.when === 'false');
    assert.deepEqual(hidden, [SHOW_RULE_DOCS_COMMAND, ...skillCommands.slice(1), skillCommands[0]].map((command) => ({ command, when: 'false' })));
    // The planner check works on the finding under the cursor: offered whenever an editor is open.
    assert.ok(pkg.contributes.menus.commandPalette.some((entry: { command: string; when: string }) => entry.command === 'backendAdvisor.verifyWithPlanner' && entry.when === 'editorIsOpen'));
    const validation = pkg.contributes.jsonValidation[0];
    assert.equal(validation.fileMatch, '.backend-advisor.json');
    assert.ok(fs.existsSync(path.join(repo, validation.url)), validation.url);
  });

  it('activates for the languages the client serves and for a config file', () => {
    assert.deepEqual(pkg.activationEvents, [
      'onLanguage:typescript',
      'onLanguage:typescriptreact',
      'onLanguage:javascript',
      'onLanguage:javascriptreact',
      'onLanguage:sql',
      'onLanguage:prisma',
      'workspaceContains:**/.backend-advisor.json',
      'onView:backendAdvisor.skills',
    ]);
    assert.ok(pkg.capabilities.untrustedWorkspaces.supported);
  });
});

describe('schemas/backend-advisor.schema.json', () => {
  it('is what `npm run schema` writes from the registry', () => {
    const onDisk = fs.readFileSync(path.join(repo, 'schemas/backend-advisor.schema.json'), 'utf8');
    assert.equal(onDisk, configJsonSchemaText(RULES), 'schemas/backend-advisor.schema.json is out of date: run `npm run schema`');
  });

  const ruleEntries: Record<string, { anyOf: Array<{ properties?: { options?: { properties?: Record<string, unknown> } } }> }> = schema.properties.rules.properties;

  it('lists every registered rule id, and nothing else', () => {
    const registered = RULES.map((rule) => rule.meta.id).sort();
    const missing = registered.filter((id) => !(id in ruleEntries));
    assert.deepEqual(missing, [], `add these rule ids to schemas/backend-advisor.schema.json: ${missing.join(', ')}`);
    assert.deepEqual(Object.keys(ruleEntries).sort(), registered);
  });

  it("describes each rule's options by name and default", () => {
    for (const rule of RULES) {
      const objectForm = ruleEntries[rule.meta.id]!.anyOf.find((entry) => entry.properties?.options);
      const options = (objectForm?.properties?.options?.properties ?? {}) as Record<string, { default?: unknown }>;
      assert.deepEqual(Object.keys(options).sort(), Object.keys(rule.options).sort(), rule.meta.id);
      for (const [name, spec] of Object.entries(rule.options as Record<string, OptionSpec>)) assert.deepEqual(options[name]!.default, spec.default, `${rule.meta.id}.${name}`);
    }
  });

  it('has the same top-level keys as the engine settings, with the same defaults', () => {
    assert.deepEqual(Object.keys(schema.properties).filter((key) => key !== '$schema').sort(), Object.keys(SETTING_DESCRIPTIONS).sort());
    assert.equal(schema.properties.maxFileSize.default, SETTING_DEFAULTS.maxFileSize);
    assert.equal(schema.properties.ruleTimeout.default, SETTING_DEFAULTS.ruleTimeout);
    assert.deepEqual(schema.definitions.severity.enum, [...CONFIGURED_SEVERITIES]);
  });
});
