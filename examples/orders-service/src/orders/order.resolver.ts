import { Injectable, Scope } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { InjectRepository } from '@nestjs/typeorm';
import DataLoader from 'dataloader';
import { In, Repository } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { Order } from './order.entity';

/** One loader per request: the customers of every order in the response, in one query. */
@Injectable({ scope: Scope.REQUEST })
export class CustomerLoader {
  readonly byId = new DataLoader<string, Customer | null>(async (ids) => {
    const rows = await this.customers.findBy({ id: In([...ids]) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });

  constructor(@InjectRepository(Customer) private readonly customers: Repository<Customer>) {}
}

@Resolver(() => Order)
export class OrderResolver {
  constructor(
    @InjectRepository(Order) private readonly orders: Repository<Order>,
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
    private readonly customerLoader: CustomerLoader,
  ) {}

  @Query(() => [Order])
  recentOrders(@Args('status') status: Order['status']): Promise<Order[]> {
    return this.orders.find({ where: { status }, order: { createdAt: 'DESC' }, take: 50 });
  }

  // N+1: `recentOrders { customer { email } }` runs this once per order, one query each.
  @ResolveField(() => Customer, { nullable: true })
  customer(@Parent() order: Order): Promise<Customer | null> {
    return this.customers.findOneBy({ id: order.customerId });
  }

  // Batched: every order of the response shares one `findBy({ id: In(ids) })`.
  @ResolveField(() => Customer, { nullable: true })
  buyer(@Parent() order: Order): Promise<Customer | null> {
    return this.customerLoader.byId.load(order.customerId);
  }
}
