import { randomBytes } from '../support/seeded-random.mjs';

/** Files that have broken tools before, keyed by their path in the workspace. */
export function hostileFiles(): Record<string, string | Uint8Array> {
  return {
    'src/broken.ts': 'export const = {{{ fetch(\n',
    'src/vendor/bundle.min.js': minifiedBundle(2_000_000),
    'src/vendor/small.min.js': minifiedBundle(200_000),
    'src/binary.ts': randomBytes(4096, 7),
    'src/deep/parens.ts': `export const nested =\n${'(\n'.repeat(20_000)}1${'\n)'.repeat(20_000)};\n`,
    'src/deep/chain.ts': `const a = 1;\nexport const sum =\n${'a +\n'.repeat(50_000)}a;\n`,
    'src/x.ts/inside.ts': 'export const fromFolderNamedLikeAFile = () => fetch("https://folder.test");\n',
    'src/empty.ts': '',
    'src/bom-only.ts': '\uFEFF',
    'src/good.service.ts': 'export async function loadOrders() {\n  return fetch("https://orders.internal/api/orders");\n}\n',
  };
}

/** One line of minified JavaScript, `bytes` long. */
function minifiedBundle(bytes: number): string {
  const chunk = 'function a(b){return fetch(b).then(function(c){return c.json()})}var d=[1,2,3].map(function(e){return e*2});';
  return chunk.repeat(Math.ceil(bytes / chunk.length)).slice(0, bytes);
}
