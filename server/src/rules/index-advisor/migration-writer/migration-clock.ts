/** Formats `now` as the timestamp prefix a migration folder uses, by the digit count of its existing prefixes. */
export function timestampOf(now: Date, digits: number): string {
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  switch (digits) {
    case 8:
      return date;
    case 10:
      return String(Math.floor(now.getTime() / 1000));
    case 12:
      return date + time.slice(0, 4);
    case 13:
      return String(now.getTime());
    case 17:
      return date + time + pad(now.getUTCMilliseconds(), 3);
    default:
      return date + time;
  }
}

/**
 * A prefix that sorts after every existing one: the clock's when it is later, else the highest
 * existing plus one (a clock behind the folder, or two fixes within one second).
 */
export function nextTimestamp(now: Date, digits: number, existing: readonly string[]): string {
  const candidate = timestampOf(now, digits);
  const highest = existing.reduce((max, value) => (BigInt(value) > max ? BigInt(value) : max), 0n);
  return BigInt(candidate) > highest ? candidate : String(highest + 1n).padStart(digits, '0');
}
