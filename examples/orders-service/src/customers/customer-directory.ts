import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';

export interface CustomerRow {
  id: string;
  email: string;
}

/** Support tooling: finds customers by e-mail for the help desk. */
@Injectable()
export class CustomerDirectory {
  private readonly pool = new Pool({ connectionString: process.env.DATABASE_URL, statement_timeout: 5000 });

  /** Exact lookup: the unique index on email serves it. */
  async byEmail(email: string): Promise<CustomerRow | undefined> {
    const { rows } = await this.pool.query<CustomerRow>('SELECT id, email FROM customers WHERE email = $1', [email]);
    return rows[0];
  }

  /** Case-insensitive lookup: lower() hides the unique index on email from the planner. */
  async byEmailIgnoringCase(email: string): Promise<CustomerRow | undefined> {
    const { rows } = await this.pool.query<CustomerRow>('SELECT id, email FROM customers WHERE lower(email) = lower($1)', [email]);
    return rows[0];
  }

  /** Search by domain: a pattern that starts with % cannot use a btree index. */
  async byDomain(domain: string): Promise<CustomerRow[]> {
    const { rows } = await this.pool.query<CustomerRow>("SELECT id, email FROM customers WHERE email LIKE '%@' || $1 ORDER BY email LIMIT 100", [domain]);
    return rows;
  }
}
