import axios from 'axios';

export const PAYMENTS_HTTP = Symbol('PAYMENTS_HTTP');

/** One axios instance for the payment provider, with a timeout every call inherits. */
export const paymentsHttpProvider = {
  provide: PAYMENTS_HTTP,
  useValue: axios.create({
    baseURL: process.env.PAYMENTS_URL ?? 'http://payments:3000',
    timeout: 4000,
  }),
};
