/** Test support: a real local HTTP webhook receiver that fails on a schedule and records what it got. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from './signature.js';

/** One request as the receiver saw it. */
export interface Received {
  id: string;
  body: string;
  status: number;
  signatureOk: boolean;
}

/** What the receiver answers to its n-th request (0-based): a status, and whether it kept the event. */
export type FailurePlan = (n: number, id: string) => { status: number; keep: boolean };

/** A receiver on 127.0.0.1 with a random port; `kept` holds the events it accepted, in arrival order. */
export async function startReceiver(secret: string, plan: FailurePlan, nowSeconds: () => number) {
  const requests: Received[] = [];
  const kept: Received[] = [];
  let n = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = String(req.headers['webhook-id'] ?? '');
      const check = verifyWebhook(secret, req.headers, body, nowSeconds());
      const { status, keep } = check.ok ? plan(n++, id) : { status: 401, keep: false };
      const r = { id, body, status, signatureOk: check.ok };
      requests.push(r);
      if (keep) kept.push(r);
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    kept,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
