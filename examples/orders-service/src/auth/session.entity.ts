import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One signed-in device: the refresh token it was given and when that token stops working. */
@Entity('sessions')
export class Session {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column()
  userId!: string;

  @Column({ type: 'text', nullable: true })
  refreshToken!: string | null;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
