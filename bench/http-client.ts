/**
 * The HTTP bench's client, run in a worker thread: a real submitter is another process, so its
 * requests and the reading of the answers are kept out of the server's event loop and main thread.
 * The main thread hands over the bodies once (transferred, not copied) and then asks for runs.
 */
import { parentPort, workerData } from 'node:worker_threads';

/** A run: POST every body to `url` over `concurrency` connections. */
export interface ClientRun {
  url: string;
  /** Index of the first and past the last body to send. */
  from: number;
  to: number;
  concurrency: number;
}

/** What the worker answers: the run's wall seconds, or the error that stopped it. */
export type ClientResult = { secs: number } | { error: string };

const bodies = (workerData as { bodies: Uint8Array[] }).bodies;

async function post(run: ClientRun): Promise<number> {
  let next = run.from;
  const t0 = performance.now();
  const worker = async () => {
    while (next < run.to) {
      const body = bodies[next++]!;
      const res = await fetch(run.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: run.concurrency }, worker));
  return (performance.now() - t0) / 1000;
}

parentPort!.on('message', (run: ClientRun) => {
  post(run).then(
    (secs) => parentPort!.postMessage({ secs } satisfies ClientResult),
    (e: unknown) => parentPort!.postMessage({ error: String(e) } satisfies ClientResult),
  );
});
