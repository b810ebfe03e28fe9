// mulberry32: a tiny deterministic PRNG, so generated test inputs and the bench workspace are the
// same on every run. Plain JavaScript so the bench runs it without a TypeScript loader.
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random bytes with NULs early, as in any real binary. */
export function randomBytes(length, seed) {
  const next = seededRandom(seed);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Math.floor(next() * 256);
  bytes[3] = 0;
  bytes[100] = 0;
  return bytes;
}
