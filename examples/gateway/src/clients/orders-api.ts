import axios from 'axios';

/** The orders service, with a timeout: every call through this instance is bounded. */
export const ordersApi = axios.create({
  baseURL: process.env.ORDERS_URL ?? 'http://orders:3000',
  timeout: 5000,
});

/** Reporting endpoints are slow, and this instance was created without a timeout. */
export const reportsApi = axios.create({
  baseURL: process.env.REPORTS_URL ?? 'http://reports:3000',
});
