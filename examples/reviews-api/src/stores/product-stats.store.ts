import { db } from './db';

interface ProductRow {
  id: string;
  name: string;
}

/** Rating figures for the product pages, with Knex. */
export class ProductStatsStore {
  /** N+1: one aggregate query per product. */
  async averageStars(products: ProductRow[]): Promise<Array<{ id: string; average: number }>> {
    const out = [];
    for (const product of products) {
      const row = await db('reviews').where('product_id', product.id).avg({ average: 'stars' }).first();
      out.push({ id: product.id, average: Number(row?.average ?? 0) });
    }
    return out;
  }

  /** Batched: one grouped query with `whereIn`. */
  async averageStarsBatched(products: ProductRow[]): Promise<Map<string, number>> {
    const rows = await db('reviews')
      .whereIn(
        'product_id',
        products.map((product) => product.id),
      )
      .groupBy('product_id')
      .select('product_id')
      .avg({ average: 'stars' });
    return new Map(rows.map((row) => [String(row.product_id), Number(row.average)]));
  }
}
