import { Injectable } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { firstValueFrom, timeout } from 'rxjs';

export interface StockLevel {
  productId: string;
  available: number;
}

@Injectable()
export class InventoryClient {
  private readonly baseUrl = process.env.INVENTORY_URL ?? 'http://inventory:3000';

  constructor(private readonly http: HttpService) {}

  /** Bounded: the pipe gives up after three seconds. */
  async stockFor(productId: string): Promise<StockLevel> {
    const response = await firstValueFrom(
      this.http.get<StockLevel>(`${this.baseUrl}/products/${productId}/stock`).pipe(timeout(3000)),
    );
    return response.data;
  }

  /** Unbounded: if inventory hangs, so does every checkout waiting on this reservation. */
  async reserve(productId: string, quantity: number): Promise<void> {
    await firstValueFrom(this.http.post(`${this.baseUrl}/reservations`, { productId, quantity }));
  }
}
