/** Test fixtures: destination policies for local receivers and for example names that do not resolve. */
import type { DestinationPolicy } from '../destination.js';

/** Receivers started by the tests listen on 127.0.0.1: allowed explicitly, as an administration would. */
export const loopbackReceivers: DestinationPolicy = { allow: ['127.0.0.1/32'] };

/** Every name resolves to one public address: for `https://x.example/…` subscriptions with a fake poster. */
export const publicNames: DestinationPolicy = {
  lookup: () => Promise.resolve([{ address: '93.184.215.14', family: 4 }]),
};
