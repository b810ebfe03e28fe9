/**
 * A structural check of a SARIF 2.1.0 log against the schema's rules for the objects Backend
 * Advisor emits: required properties, no properties the schema forbids (most SARIF objects
 * have additionalProperties: false), 1-based regions, and enum values. Returns the problems,
 * each with a JSON path; empty means valid. Hand-written so tests need no network.
 */
type Json = unknown;
type Check = (value: Json, at: string, problems: string[]) => void;

const PROPERTY_BAG: Check = (value, at, problems) => {
  if (!isObject(value)) return void problems.push(`${at} must be an object`);
  if ('tags' in value && !(Array.isArray(value.tags) && value.tags.every((tag) => typeof tag === 'string'))) problems.push(`${at}.tags must be strings`);
};

function object(required: string[], properties: Record<string, Check>, extra?: (value: Record<string, Json>, at: string, problems: string[]) => void): Check {
  return (value, at, problems) => {
    if (!isObject(value)) return void problems.push(`${at} must be an object`);
    for (const key of required) if (!(key in value)) problems.push(`${at}.${key} is required`);
    for (const [key, item] of Object.entries(value)) {
      const check = key === 'properties' ? PROPERTY_BAG : properties[key];
      if (!check) problems.push(`${at}.${key} is not a property the schema allows here`);
      else check(item, `${at}.${key}`, problems);
    }
    extra?.(value, at, problems);
  };
}

function array(item: Check, minItems = 0): Check {
  return (value, at, problems) => {
    if (!Array.isArray(value)) return void problems.push(`${at} must be an array`);
    if (value.length < minItems) problems.push(`${at} must have at least ${minItems} item(s)`);
    value.forEach((element, i) => item(element, `${at}[${i}]`, problems));
  };
}

const string: Check = (value, at, problems) => void (typeof value !== 'string' && problems.push(`${at} must be a string`));
const boolean: Check = (value, at, problems) => void (typeof value !== 'boolean' && problems.push(`${at} must be a boolean`));
const integer =
  (minimum: number): Check =>
  (value, at, problems) =>
    void ((typeof value !== 'number' || !Number.isInteger(value) || value < minimum) && problems.push(`${at} must be an integer >= ${minimum}`));
const oneOf =
  (...values: string[]): Check =>
  (value, at, problems) =>
    void (!values.includes(value as string) && problems.push(`${at} must be one of ${values.join(', ')}`));
const stringMap: Check = (value, at, problems) => {
  if (!isObject(value)) return void problems.push(`${at} must be an object`);
  for (const [key, item] of Object.entries(value)) string(item, `${at}.${key}`, problems);
};

const multiformat = object(['text'], { text: string, markdown: string });
const message = object([], { text: string, markdown: string, id: string, arguments: array(string) }, (value, at, problems) => {
  if (!('text' in value) && !('id' in value)) problems.push(`${at} needs text or id`);
});
const artifactLocation = object([], { uri: string, uriBaseId: string, index: integer(-1), description: message });
const region = object([], { startLine: integer(1), startColumn: integer(1), endLine: integer(1), endColumn: integer(1), charOffset: integer(-1), charLength: integer(0), snippet: object([], { text: string }), message }, (value, at, problems) => {
  if (typeof value.startLine === 'number' && typeof value.endLine === 'number' && value.endLine < value.startLine) problems.push(`${at} ends before it starts`);
  if (value.startLine === value.endLine && typeof value.startColumn === 'number' && typeof value.endColumn === 'number' && value.endColumn < value.startColumn) problems.push(`${at} ends before it starts`);
});
const physicalLocation = object([], { artifactLocation, region, contextRegion: region }, (value, at, problems) => {
  if (!('artifactLocation' in value) && !('address' in value)) problems.push(`${at} needs artifactLocation or address`);
});
const location = object([], { id: integer(-1), physicalLocation, message });
const replacement = object(['deletedRegion'], { deletedRegion: region, insertedContent: object([], { text: string, binary: string }) });
const artifactChange = object(['artifactLocation', 'replacements'], { artifactLocation, replacements: array(replacement, 1) });
const fix = object(['artifactChanges'], { description: message, artifactChanges: array(artifactChange, 1) });
const level = oneOf('none', 'note', 'warning', 'error');
const result = object(['message'], {
  ruleId: string,
  ruleIndex: integer(-1),
  kind: oneOf('notApplicable', 'pass', 'fail', 'review', 'open', 'informational'),
  level,
  message,
  locations: array(location),
  partialFingerprints: stringMap,
  fingerprints: stringMap,
  relatedLocations: array(location),
  fixes: array(fix),
});
const reportingDescriptor = object(['id'], {
  id: string,
  name: string,
  shortDescription: multiformat,
  fullDescription: multiformat,
  help: multiformat,
  helpUri: string,
  defaultConfiguration: object([], { enabled: boolean, level, rank: (value, at, problems) => void (typeof value !== 'number' && problems.push(`${at} must be a number`)) }),
});
const toolComponent = object(['name'], { name: string, version: string, semanticVersion: string, informationUri: string, fullName: string, organization: string, rules: array(reportingDescriptor) });
const notification = object(['message'], { message, level, locations: array(location), descriptor: object([], { id: string, index: integer(-1) }), associatedRule: object([], { id: string, index: integer(-1) }) });
const invocation = object(['executionSuccessful'], { executionSuccessful: boolean, toolExecutionNotifications: array(notification), toolConfigurationNotifications: array(notification), exitCode: integer(-2147483648) });
const run = object(['tool'], {
  tool: object(['driver'], { driver: toolComponent, extensions: array(toolComponent) }),
  invocations: array(invocation),
  originalUriBaseIds: (value, at, problems) => {
    if (!isObject(value)) return void problems.push(`${at} must be an object`);
    for (const [key, item] of Object.entries(value)) artifactLocation(item, `${at}.${key}`, problems);
  },
  results: array(result),
  columnKind: oneOf('utf16CodeUnits', 'unicodeCodePoints'),
});
const log = object(['version', 'runs'], { $schema: string, version: oneOf('2.1.0'), runs: array(run) });

export function sarifProblems(value: Json): string[] {
  const problems: string[] = [];
  log(value, '$', problems);
  return problems;
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
