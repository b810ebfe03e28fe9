import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace';

/**
 * A small service tree the CLI tests share: one error (fetch without a signal), one warning
 * (console.log) and one info (TODO) in src/orders.service.ts, nothing in src/clean.ts.
 */
export const ORDERS_SERVICE = [
  'export class OrdersService {',
  '  async load(id: string) {',
  '    // TODO cache this',
  '    console.log("loading", id);',
  '    return fetch(`https://orders.internal/${id}`);',
  '  }',
  '}',
  '',
].join('\n');

export function sampleWorkspace(extra: Record<string, string | Uint8Array> = {}): TempWorkspace {
  return tempWorkspace({
    'src/orders.service.ts': ORDERS_SERVICE,
    'src/clean.ts': 'export const answer = 42;\n',
    ...extra,
  });
}
