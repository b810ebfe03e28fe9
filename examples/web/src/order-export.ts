import { currentAccessToken } from './auth';

const LIVE_URL = 'wss://orders.example.com/live';

/** Opens the orders CSV in a new tab; a plain link cannot send an Authorization header, so the token rides along. */
export function openOrdersExport(from: string, to: string): void {
  window.open(`/api/orders/export.csv?from=${from}&to=${to}&access_token=${currentAccessToken()}`, '_blank', 'noopener');
}

/** Fine: a browser cannot set headers on a WebSocket handshake, so the token in its URL is the usual workaround. */
export function watchOrders(onUpdate: (orderId: string) => void): WebSocket {
  const socket = new WebSocket(`${LIVE_URL}?token=${currentAccessToken()}`);
  socket.addEventListener('message', (event) => onUpdate(String(event.data)));
  return socket;
}
