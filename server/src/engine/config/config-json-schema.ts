import type { AnyRule } from '../model/rule';
import type { OptionSpec } from '../model/rule-options';
import { CONFIGURED_SEVERITIES } from '../model/severity';
import { SETTING_DEFAULTS, SETTING_DESCRIPTIONS } from './settings-schema';

/**
 * The JSON schema of `.backend-advisor.json`, derived from the settings and the rule registry so
 * that a new rule or option appears in the editor's completion without anyone editing JSON.
 * `npm run schema` writes it to schemas/; a test fails when the file is out of date.
 */
export function configJsonSchema(rules: readonly AnyRule[]): Record<string, unknown> {
  const ruleProperties: Record<string, unknown> = {};
  for (const rule of rules) {
    const options: Record<string, unknown> = {};
    for (const [name, spec] of Object.entries(rule.options as Record<string, OptionSpec>)) options[name] = optionSchema(spec);
    ruleProperties[rule.meta.id] = {
      description: `${rule.meta.title}.`,
      anyOf: [
        { $ref: '#/definitions/severity' },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            severity: { $ref: '#/definitions/severity' },
            options: { type: 'object', additionalProperties: false, properties: options },
          },
        },
      ],
    };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Backend Advisor configuration (.backend-advisor.json)',
    description: 'Configuration shared by the editor and the CLI. Values here win over the backendAdvisor.* VS Code settings, so the editor agrees with CI.',
    type: 'object',
    additionalProperties: false,
    definitions: {
      severity: {
        type: 'string',
        enum: [...CONFIGURED_SEVERITIES],
        enumDescriptions: ['Report as an error.', 'Report as a warning.', 'Report as information.', 'Show as a hint in the editor only.', 'Do not run the rule.'],
      },
    },
    properties: {
      $schema: { type: 'string' },
      rules: { type: 'object', description: SETTING_DESCRIPTIONS.rules, additionalProperties: false, properties: ruleProperties },
      include: { type: 'array', items: { type: 'string' }, description: SETTING_DESCRIPTIONS.include },
      exclude: { type: 'array', items: { type: 'string' }, description: SETTING_DESCRIPTIONS.exclude },
      maxFileSize: { type: 'number', exclusiveMinimum: 0, default: SETTING_DEFAULTS.maxFileSize, description: SETTING_DESCRIPTIONS.maxFileSize },
      ruleTimeout: { type: 'number', exclusiveMinimum: 0, default: SETTING_DEFAULTS.ruleTimeout, description: SETTING_DESCRIPTIONS.ruleTimeout },
    },
  };
}

function optionSchema(spec: OptionSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'integer':
      return { type: 'integer', minimum: spec.minimum, maximum: spec.maximum, default: spec.default, description: spec.description };
    case 'boolean':
      return { type: 'boolean', default: spec.default, description: spec.description };
    case 'string':
      return { type: 'string', enum: spec.enum ? [...spec.enum] : undefined, default: spec.default, description: spec.description };
    case 'string[]':
      return { type: 'array', items: { type: 'string' }, default: [...spec.default], description: spec.description };
  }
}

/** The schema as written to disk: stable key order, no undefined members, trailing newline. */
export function configJsonSchemaText(rules: readonly AnyRule[]): string {
  return `${JSON.stringify(configJsonSchema(rules), null, 2)}\n`;
}
