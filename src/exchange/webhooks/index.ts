/** Reliable notifications: signed webhooks fed from the clearance event log, with retries and replay. */
export { defaultRetryPolicy, retryDelayMs, type RetryPolicy } from './backoff.js';
export {
  WebhookDispatcher,
  fetchPoster,
  type DispatcherOptions,
  type PostResult,
  type TickResult,
  type WebhookPoster,
} from './dispatcher.js';
export {
  leaseKey,
  localLeases,
  pgAdvisoryLeases,
  type DeliveryLeases,
  type PgLeaseOptions,
} from './lease.js';
export { notificationId, toNotification, type Notification } from './payload.js';
export {
  newWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
  type WebhookCheck,
} from './signature.js';
export {
  checkWebhookUrl,
  createSubscription,
  ownedSubscription,
  publicSubscription,
  replay,
  type NewSubscription,
} from './subscriptions.js';
export type {
  OutboxMessage,
  OutboxStream,
  StreamDeadLetter,
  StreamState,
  StreamStateStore,
} from './streams.js';
