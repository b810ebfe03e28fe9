import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { LoyaltyService } from '../customers/loyalty.service';
import { Order } from './order.entity';

export interface ReportRow {
  orderId: string;
  email: string;
  totalCents: number;
}

/**
 * The nightly sales report. The first three methods send one query per order (N+1); the last
 * two do the same work with one query each.
 */
@Injectable()
export class OrderReportService {
  constructor(
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
    private readonly loyalty: LoyaltyService,
  ) {}

  /** N+1: one customer query per paid order. The quick fix loads them all with `In(…)` first. */
  async paidOrders(): Promise<ReportRow[]> {
    const paid = await this.orders.find({ where: { status: 'paid' } });
    const rows: ReportRow[] = [];
    for (const order of paid) {
      const customer = await this.customers.findOne({ where: { id: order.customerId } });
      rows.push({ orderId: order.id, email: customer?.email ?? 'unknown', totalCents: order.totalCents });
    }
    return rows;
  }

  /** N+1 too: `Promise.all` sends the queries at the same time, but still one per order. */
  async customerEmails(orders: Order[]): Promise<string[]> {
    return Promise.all(
      orders.map(async (order) => {
        const customer = await this.customers.findOneBy({ id: order.customerId });
        return customer?.email ?? 'unknown';
      }),
    );
  }

  /** N+1 through a helper: `discountFor` runs a query in loyalty.service.ts for every order. */
  async discountedTotals(orders: Order[]): Promise<number[]> {
    const totals: number[] = [];
    for (const order of orders) {
      const discount = await this.loyalty.discountFor(order.customerId);
      totals.push(Math.round(order.totalCents * (1 - discount)));
    }
    return totals;
  }

  /** Batched: one query for every customer, then a Map lookup per order. */
  async paidOrdersBatched(): Promise<ReportRow[]> {
    const paid = await this.orders.find({ where: { status: 'paid' } });
    const customers = await this.customers.findBy({ id: In(paid.map((order) => order.customerId)) });
    const emailById = new Map(customers.map((customer) => [customer.id, customer.email]));
    return paid.map((order) => ({ orderId: order.id, email: emailById.get(order.customerId) ?? 'unknown', totalCents: order.totalCents }));
  }

  /** Batched through the helper's batched variant. */
  async discountedTotalsBatched(orders: Order[]): Promise<number[]> {
    const discounts = await this.loyalty.discountsFor(orders.map((order) => order.customerId));
    return orders.map((order) => Math.round(order.totalCents * (1 - (discounts.get(order.customerId) ?? 0))));
  }
}
