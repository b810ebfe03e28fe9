import { Inject, Injectable } from '@nestjs/common';
import type { AxiosInstance } from 'axios';
import { PAYMENTS_HTTP } from './payments-http.provider';

export interface Charge {
  id: string;
  status: 'succeeded' | 'pending' | 'failed';
}

@Injectable()
export class PaymentsClient {
  constructor(@Inject(PAYMENTS_HTTP) private readonly http: AxiosInstance) {}

  async charge(orderId: string, amountCents: number): Promise<Charge> {
    // The injected instance carries a 4 s timeout (payments-http.provider.ts).
    const { data } = await this.http.post<Charge>('/charges', { orderId, amountCents });
    return data;
  }

  async refund(chargeId: string): Promise<void> {
    await this.http.post(`/charges/${chargeId}/refund`);
  }
}
