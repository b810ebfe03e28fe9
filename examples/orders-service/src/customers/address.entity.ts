import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Customer } from './customer.entity';

@Entity('addresses')
export class Address {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column()
  city!: string;

  @Column({ name: 'customer_id' })
  customerId!: string;

  /** Lazy: every `await address.customer` is a query, unless the relation was loaded with the address. */
  @ManyToOne(() => Customer, { lazy: true })
  customer!: Promise<Customer>;
}
