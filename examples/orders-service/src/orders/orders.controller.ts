import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { OrdersService } from './orders.service';

interface PlaceOrderDto {
  customerId: string;
  productId: string;
  quantity: number;
  totalCents: number;
}

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Get(':id')
  findOne(@Param('id') id: string) {
    return this.orders.findOne(id);
  }

  @Post()
  place(@Body() dto: PlaceOrderDto) {
    return this.orders.place(dto.customerId, dto.productId, dto.quantity, dto.totalCents);
  }

  @Patch(':id/status')
  ship(@Param('id') id: string) {
    return this.orders.ship(id);
  }
}
