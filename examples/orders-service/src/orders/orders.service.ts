import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Order } from './order.entity';
import { InventoryClient } from '../inventory/inventory.client';
import { PaymentsClient } from '../payments/payments.client';

const SHIPPING_URL = process.env.SHIPPING_URL ?? 'http://shipping:3000';

@Injectable()
export class OrdersService {
  constructor(
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    private readonly inventory: InventoryClient,
    private readonly payments: PaymentsClient,
  ) {}

  async findOne(id: string): Promise<Order> {
    const order = await this.orders.findOne({ where: { id } });
    if (!order) throw new NotFoundException({ code: 'ORDER_NOT_FOUND', message: `Order ${id} does not exist` });
    return order;
  }

  /** A customer's order history, newest first: `customer_id` has no index, so every page scans `orders`. */
  history(customerId: string, page: number): Promise<Order[]> {
    return this.orders.find({
      where: { customerId },
      order: { createdAt: 'DESC' },
      take: 20,
      skip: page * 20,
    });
  }

  /** The back-office queue: served by idx_orders_status_created_at (status, then created_at DESC). */
  queue(status: Order['status']): Promise<Order[]> {
    return this.orders.find({ where: { status }, order: { createdAt: 'DESC' }, take: 50 });
  }

  async place(customerId: string, productId: string, quantity: number, totalCents: number): Promise<Order> {
    const stock = await this.inventory.stockFor(productId);
    if (stock.available < quantity) throw new Error('Out of stock');
    await this.inventory.reserve(productId, quantity);
    const order = await this.orders.save(this.orders.create({ customerId, status: 'pending', totalCents }));
    await this.payments.charge(order.id, totalCents);
    return order;
  }

  async ship(id: string): Promise<void> {
    const order = await this.findOne(id);
    // The shipping service is slow at peak; nothing here stops this request from waiting forever.
    const response = await fetch(`${SHIPPING_URL}/shipments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: order.id }),
    });
    if (!response.ok) throw new Error(`Shipping refused order ${id}: ${response.status}`);
    await this.orders.update(id, { status: 'shipped' });
  }

  async trackingUrl(id: string): Promise<string> {
    const response = await fetch(`${SHIPPING_URL}/shipments/${id}`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.json()) as { trackingUrl: string };
    return body.trackingUrl;
  }
}
