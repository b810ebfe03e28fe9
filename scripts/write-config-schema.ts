// Writes schemas/backend-advisor.schema.json from the settings and the rule registry.
import { writeFileSync } from 'node:fs';
import { configJsonSchemaText } from '../server/src/engine/config/config-json-schema';
import { RULES } from '../server/src/rules/registry';

writeFileSync('schemas/backend-advisor.schema.json', configJsonSchemaText(RULES));
