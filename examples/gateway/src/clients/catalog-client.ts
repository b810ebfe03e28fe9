import got from 'got';
import { circuitBreaker, ConsecutiveBreaker, ExponentialBackoff, handleAll, retry, wrap } from 'cockatiel';

const CATALOG_URL = process.env.CATALOG_URL ?? 'http://catalog:3000';

/** Retries with backoff, then opens after five consecutive failures. */
const catalogPolicy = wrap(
  retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),
  circuitBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
);

export interface Product {
  id: string;
  name: string;
  priceCents: number;
}

export function getProduct(id: string): Promise<Product> {
  return catalogPolicy.execute(() => got(`${CATALOG_URL}/products/${id}`, { timeout: { request: 3000 } }).json<Product>());
}

export async function searchProducts(query: string): Promise<Product[]> {
  // got has no timeout by default.
  return got(`${CATALOG_URL}/products`, { searchParams: { q: query } }).json<Product[]>();
}
