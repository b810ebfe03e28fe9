import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Customer } from './customer.entity';

@Injectable()
export class LoyaltyService {
  constructor(@InjectRepository(Customer) private readonly customers: Repository<Customer>) {}

  /** One customer's discount: one query each time it is called. */
  async discountFor(customerId: string): Promise<number> {
    const customer = await this.customers.findOneBy({ id: customerId });
    return customer?.loyaltyTier === 'gold' ? 0.1 : 0;
  }

  /** The batched variant: every customer's discount from one query. */
  async discountsFor(customerIds: string[]): Promise<Map<string, number>> {
    const customers = await this.customers.findBy({ id: In(customerIds) });
    return new Map(customers.map((customer) => [customer.id, customer.loyaltyTier === 'gold' ? 0.1 : 0]));
  }
}
