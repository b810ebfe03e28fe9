import { createHash } from 'node:crypto';
import type { SchemaCatalog } from '../../../engine/schema/catalog-model';
import type { IndexProposal } from '../index-proposal';

/** How a project names its indexes, read from the names it already has. */
export type IndexNaming = 'idx-prefix' | 'IDX-prefix' | 'ix-prefix' | 'idx-suffix' | 'index-suffix' | 'typeorm-hash';

/** Postgres truncates identifiers to 63 bytes (NAMEDATALEN - 1). */
const MAX_NAME_BYTES = 63;

/**
 * The naming convention most of the catalog's explicit secondary indexes follow, the table's own
 * first. Primary keys and unique constraints are named by Postgres or the ORM, not by the team,
 * so they do not vote.
 */
export function detectIndexNaming(catalog: SchemaCatalog, tableName: string, fallback: IndexNaming): IndexNaming {
  // Every finding of a scan asks (for its fix and its planner check): answered once per catalog.
  const memo = memoOf(catalog);
  const key = `${tableName}\u0000${fallback}`;
  let naming = memo.naming.get(key);
  if (!naming) {
    naming = computeNaming(catalog, tableName, fallback);
    memo.naming.set(key, naming);
  }
  return naming;
}

interface NamingMemo {
  naming: Map<string, IndexNaming>;
  /** Index and table names, lower case: one namespace per schema in Postgres. */
  taken?: Set<string>;
}

const memos = new WeakMap<SchemaCatalog, NamingMemo>();

function memoOf(catalog: SchemaCatalog): NamingMemo {
  let memo = memos.get(catalog);
  if (!memo) {
    memo = { naming: new Map() };
    memos.set(catalog, memo);
  }
  return memo;
}

function computeNaming(catalog: SchemaCatalog, tableName: string, fallback: IndexNaming): IndexNaming {
  const table = catalog.table(tableName);
  const vote = (names: Array<string | undefined>): IndexNaming | undefined => {
    const counts = new Map<IndexNaming, number>();
    for (const name of names) {
      const style = name ? namingOf(name) : undefined;
      if (style) counts.set(style, (counts.get(style) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  };
  const secondary = (indexes: Array<{ name?: string; primary: boolean; unique: boolean }>): Array<string | undefined> => indexes.filter((i) => !i.primary).map((i) => i.name);
  return vote(secondary(table?.indexes ?? [])) ?? vote(catalog.tables().flatMap((t) => secondary(t.indexes))) ?? fallback;
}

function namingOf(name: string): IndexNaming | undefined {
  if (/^IDX_[0-9a-f]{26}$/.test(name)) return 'typeorm-hash';
  if (/^idx_/.test(name)) return 'idx-prefix';
  if (/^IDX_/.test(name)) return 'IDX-prefix';
  if (/^ix_/i.test(name)) return 'ix-prefix';
  if (/_idx$/i.test(name)) return 'idx-suffix';
  if (/_index$/i.test(name)) return 'index-suffix';
  return undefined;
}

/** `lower(email)` → `lower_email`; keeps the case of the column (Prisma's `Order_customerId_idx`). */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/**
 * A name for the proposed index in the project's convention, unique among the catalog's index and
 * table names (they share one namespace per schema in Postgres) and at most 63 bytes: a long name
 * is cut and given a short hash of the full name, so two long names stay apart.
 */
export function proposedIndexName(proposal: IndexProposal, catalog: SchemaCatalog, naming: IndexNaming): string {
  const table = slug(proposal.table.name);
  const keys = proposal.keys.map((key) => slug(key.column ?? key.expression ?? 'expr')).join('_');
  const base = ((): string => {
    switch (naming) {
      case 'idx-prefix':
        return `idx_${table}_${keys}`;
      case 'IDX-prefix':
      case 'typeorm-hash':
        return `IDX_${table}_${keys}`;
      case 'ix-prefix':
        return `ix_${table}_${keys}`;
      case 'idx-suffix':
        return `${table}_${keys}_idx`;
      case 'index-suffix':
        return `${table}_${keys}_index`;
    }
  })();
  const memo = memoOf(catalog);
  memo.taken ??= new Set(catalog.tables().flatMap((t) => [t.name, ...t.indexes.map((i) => i.name ?? '')]).map((n) => n.toLowerCase()));
  const taken = memo.taken;
  for (let n = 1; ; n++) {
    const candidate = fit(n === 1 ? base : `${base}_${n}`);
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

function fit(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8);
  // Names are ASCII after `slug`, so characters are bytes.
  return `${name.slice(0, MAX_NAME_BYTES - hash.length - 1)}_${hash}`;
}
