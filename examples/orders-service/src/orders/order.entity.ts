import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('orders')
export class Order {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'customer_id' })
  customerId!: string;

  @Column()
  status!: 'pending' | 'paid' | 'shipped' | 'cancelled';

  @Column({ name: 'total_cents' })
  totalCents!: number;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;
}
