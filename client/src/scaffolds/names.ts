/** Names derived from what the user typed: "order items", "OrderItem", "order-items" all work. */
export function words(input: string): string[] {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
}

export const kebab = (input: string): string => words(input).join('-');
export const pascal = (input: string): string => words(input).map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
export const camel = (input: string): string => {
  const name = pascal(input);
  return name ? name[0]!.toLowerCase() + name.slice(1) : name;
};
export const constant = (input: string): string => words(input).join('_').toUpperCase();

/** English singular of the last word, for the usual plurals (orders, categories, addresses). */
export function singular(input: string): string {
  const parts = words(input);
  const last = parts.pop() ?? '';
  const one = /ies$/.test(last) ? `${last.slice(0, -3)}y` : /(ss|sh|ch|x|z)es$/.test(last) ? last.slice(0, -2) : /[^s]s$/.test(last) ? last.slice(0, -1) : last;
  return [...parts, one].join(' ');
}

export function plural(input: string): string {
  const parts = words(input);
  const last = parts.pop() ?? '';
  const many = /[^aeiou]y$/.test(last) ? `${last.slice(0, -1)}ies` : /(s|sh|ch|x|z)$/.test(last) ? `${last}es` : `${last}s`;
  return [...parts, many].join(' ');
}

/** A valid identifier check for names typed into an input box. */
export function validName(input: string): string | undefined {
  if (!/^[A-Za-z][A-Za-z0-9 _-]*$/.test(input.trim())) return 'Use letters, digits, spaces or dashes, starting with a letter.';
  return undefined;
}

/** Import specifier from one project file to another, without the .ts extension. */
export function relativeImport(fromFile: string, toFile: string): string {
  const from = fromFile.split('/').slice(0, -1);
  const to = toFile.replace(/\.ts$/, '').split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  const up = from.length - common;
  const rest = to.slice(common).join('/');
  return up === 0 ? `./${rest}` : `${'../'.repeat(up)}${rest}`;
}

export function join(...parts: string[]): string {
  return parts.filter(Boolean).join('/').replace(/\/+/g, '/');
}
