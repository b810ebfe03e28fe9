/** A TypeScript string literal for `text`, in the file's quote when the text does not hold it. */
export function tsString(text: string, quote: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  if (!escaped.includes(quote)) return `${quote}${escaped}${quote}`;
  const other = quote === "'" ? '"' : "'";
  if (!escaped.includes(other)) return `${other}${escaped}${other}`;
  return `${quote}${escaped.split(quote).join(`\\${quote}`)}${quote}`;
}

/** The quote a file's imports use. */
export function quoteOf(text: string): string {
  return /\bfrom\s+"/.test(text) ? '"' : "'";
}
