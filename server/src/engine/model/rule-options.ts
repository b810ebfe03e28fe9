/**
 * A rule's options, described once: the descriptor gives the defaults, validates user input
 * and documents each option in the settings table and the rule's docs page.
 */
export type OptionSpec =
  | { type: 'integer'; default: number; minimum?: number; maximum?: number; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'string'; default: string; enum?: readonly string[]; description: string }
  | { type: 'string[]'; default: readonly string[]; description: string };

export type OptionsSchema<O> = { [K in keyof O]: OptionSpec };

export function defaultsOf<O>(schema: OptionsSchema<O>): O {
  const options: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema) as [string, OptionSpec][]) options[key] = spec.default;
  return options as O;
}

/**
 * Merges user-supplied options over the defaults. Each problem is described naming the option,
 * and the default stays in force for that option.
 */
export function validateOptions<O>(schema: OptionsSchema<O>, raw: unknown, where: string): { options: O; problems: string[] } {
  const options = defaultsOf(schema) as Record<string, unknown>;
  const problems: string[] = [];
  if (raw === undefined) return { options: options as O, problems };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${where} must be an object of options; using the defaults.`);
    return { options: options as O, problems };
  }
  const specs = schema as Record<string, OptionSpec>;
  for (const [key, value] of Object.entries(raw)) {
    const spec = specs[key];
    if (!spec) {
      const known = Object.keys(specs);
      problems.push(`${where}.${key} is not an option of this rule${known.length ? ` (known: ${known.join(', ')})` : ''}.`);
      continue;
    }
    const problem = checkValue(spec, value);
    if (problem) problems.push(`${where}.${key} ${problem}; using the default ${JSON.stringify(spec.default)}.`);
    else options[key] = value;
  }
  return { options: options as O, problems };
}

function checkValue(spec: OptionSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `must be an integer, not ${JSON.stringify(value)}`;
      if (spec.minimum !== undefined && value < spec.minimum) return `must be at least ${spec.minimum}, not ${value}`;
      if (spec.maximum !== undefined && value > spec.maximum) return `must be at most ${spec.maximum}, not ${value}`;
      return undefined;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, not ${JSON.stringify(value)}`;
    case 'string':
      if (typeof value !== 'string') return `must be a string, not ${JSON.stringify(value)}`;
      if (spec.enum && !spec.enum.includes(value)) return `must be one of ${spec.enum.join(', ')}, not ${JSON.stringify(value)}`;
      return undefined;
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : 'must be an array of strings';
  }
}
