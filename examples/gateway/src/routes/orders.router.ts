import { Router, type Request, type Response, type NextFunction } from 'express';
import axios from 'axios';
import { ordersApi, reportsApi } from '../clients/orders-api';

const RECOMMENDATIONS_URL = process.env.RECOMMENDATIONS_URL ?? 'http://recommendations:3000';

export const ordersRouter = Router();

ordersRouter.get('/orders/:id', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { data } = await ordersApi.get(`/orders/${req.params.id}`);
    res.json(data);
  } catch (error) {
    next(error);
  }
});

ordersRouter.get('/orders/:id/recommendations', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const { data } = await axios.get(`${RECOMMENDATIONS_URL}/for-order/${req.params.id}`);
    res.json(data);
  } catch (error) {
    next(error);
  }
});

ordersRouter.get('/reports/daily', async (_req: Request, res: Response, next: NextFunction) => {
  try {
    const { data } = await reportsApi.get('/daily');
    res.json(data);
  } catch (error) {
    next(error);
  }
});

ordersRouter.post('/orders/:id/notify', async (req: Request, res: Response, next: NextFunction) => {
  try {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 2500);
    const response = await fetch(`${process.env.NOTIFY_URL}/notify`, {
      method: 'POST',
      body: JSON.stringify({ orderId: req.params.id }),
      signal: controller.signal,
    });
    clearTimeout(timer);
    res.status(response.status).end();
  } catch (error) {
    next(error);
  }
});

ordersRouter.get('/health/upstream', async (_req: Request, res: Response) => {
  // Bun honours `timeout` here; Node's fetch ignores it and waits forever.
  const response = await fetch(`${process.env.ORDERS_URL}/health`, { timeout: 1000 } as RequestInit);
  res.status(response.ok ? 200 : 503).end();
});
