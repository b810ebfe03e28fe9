import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { InventoryClient } from './inventory/inventory.client';
import { PaymentsClient } from './payments/payments.client';
import { paymentsHttpProvider } from './payments/payments-http.provider';

@Module({
  // No timeout here: every HttpService call in this module must bound itself.
  imports: [HttpModule.register({ maxRedirects: 3 })],
  controllers: [OrdersController],
  providers: [OrdersService, InventoryClient, PaymentsClient, paymentsHttpProvider],
})
export class AppModule {}
