import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Address } from './address.entity';

@Injectable()
export class MailingListService {
  constructor(@InjectRepository(Address) private readonly addresses: Repository<Address>) {}

  /** N+1 through a lazy relation: one customer query per address. The quick fix adds `relations: { customer: true }`. */
  async emailsIn(city: string): Promise<string[]> {
    const addresses = await this.addresses.findBy({ city });
    const emails: string[] = [];
    for (const address of addresses) {
      const customer = await address.customer;
      emails.push(customer.email);
    }
    return emails;
  }

  /** Batched: the relation is loaded with the addresses, so the await reads it without a query. */
  async emailsInJoined(city: string): Promise<string[]> {
    const addresses = await this.addresses.find({ where: { city }, relations: { customer: true } });
    return Promise.all(addresses.map(async (address) => (await address.customer).email));
  }
}
