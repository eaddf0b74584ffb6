/** Reliable notifications: signed webhooks fed from the clearance event log, with retries and replay. */
export {
  cachedGuard,
  defaultAddressCacheHosts,
  defaultAddressTtlMs,
  type AddressCacheOptions,
} from './address-cache.js';
export { defaultRetryPolicy, retryDelayMs, type RetryPolicy } from './backoff.js';
export { WebhookDispatcher, type DispatcherOptions, type TickResult } from './dispatcher.js';
export { httpPoster, type HttpPosterOptions, type PostResult, type WebhookPoster } from './poster.js';
export {
  checkAddress,
  destinationGuard,
  forbiddenIpv4,
  forbiddenIpv6,
  parseAllowList,
  type DestinationPolicy,
  type ForbiddenRange,
  type HostLookup,
  type ResolvedAddress,
} from './destination.js';
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
  checkWebhookDestination,
  checkWebhookUrl,
  createSubscription,
  ownedSubscription,
  publicSubscription,
  replay,
  updateSubscription,
  webhookAuditData,
  type ChangedField,
  type NewSubscription,
  type SubscriptionUpdate,
} from './subscriptions.js';
export type {
  OutboxMessage,
  OutboxStream,
  StreamDeadLetter,
  StreamState,
  StreamStateStore,
} from './streams.js';
