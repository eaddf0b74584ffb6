/**
 * Notices to platforms as a webhook outbox: every new notice and every change of one (outcome,
 * answer) is a message to the platform's subscriptions, delivered by the webhook dispatcher (signed,
 * retried, dead-lettered). Messages are read from the notice records in registry commit order; the
 * delivery state per subscription lives in the registry too.
 */
import type {
  OutboxMessage,
  OutboxStream,
  StreamDeadLetter,
  StreamState,
  StreamStateStore,
} from '../exchange/index.js';
import type { RegistryStore } from '../registry/index.js';
import type { PlatformNotice } from './service.js';

/** The message body of a notice version: its id (`ntc_…` + version) is the de-duplication key. */
export interface NoticeMessage {
  id: string;
  type: 'platform-notice.issued' | 'platform-notice.updated';
  version: number;
  at: string;
  notice: PlatformNotice;
}

const stateCollection = 'webhook-stream-state';
const deadCollection = 'webhook-stream-dead';

/** Delivery state of the dispatcher's further streams, in the registry store. */
export function registryStreamStates(store: RegistryStore): StreamStateStore {
  const key = (sub: string, stream: string) => `${sub}:${stream}`;
  return {
    async state(sub, stream) {
      return (await store.get<StreamState>(stateCollection, key(sub, stream)))?.doc;
    },
    async save(sub, stream, state, dead) {
      await store.write([
        { collection: stateCollection, id: key(sub, stream), owner: sub, doc: state },
        ...(dead
          ? [
              {
                collection: deadCollection,
                id: `${key(sub, stream)}:${dead.message.seq}`,
                owner: sub,
                ref: stream,
                at: dead.deadAt,
                doc: dead,
              },
            ]
          : []),
      ]);
    },
    async deadLetters(sub, stream) {
      const docs = await store.find<StreamDeadLetter>({
        collection: deadCollection,
        owner: sub,
        ref: stream,
      });
      return docs.map((d) => d.doc);
    },
  };
}

/** The notice stream over the registry store (`owner` of a notice is its platform's operator id). */
export function noticeStream(store: RegistryStore): OutboxStream {
  return {
    name: 'platform-notices',
    states: registryStreamStates(store),
    async since(operatorId, afterSeq, limit) {
      const docs = await store.find<PlatformNotice>({
        collection: 'notice',
        owner: operatorId,
        afterSeq,
        limit,
      });
      return docs.map((d): OutboxMessage => {
        const body: NoticeMessage = {
          id: `${d.doc.id}.v${d.version}`,
          type: d.version === 1 ? 'platform-notice.issued' : 'platform-notice.updated',
          version: d.version,
          at: d.doc.updatedAt,
          notice: d.doc,
        };
        return { seq: d.seq, id: body.id, type: body.type, at: body.at, body: JSON.stringify(body) };
      });
    },
  };
}
