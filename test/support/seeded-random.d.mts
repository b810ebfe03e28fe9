export function seededRandom(seed: number): () => number;
export function randomBytes(length: number, seed: number): Uint8Array;
