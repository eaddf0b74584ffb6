/**
 * Graceful shutdown: on SIGTERM or SIGINT the process stops being ready, stops accepting new
 * requests, lets in-flight requests (and so the batches they carry) finish and commit, runs the
 * closing steps (final audit seal, store close) and exits 0. A second signal, or the deadline,
 * exits at once with code 1: committed batches are safe either way (each commits whole or not at all).
 * A second signal within a second of the first is the same interrupt delivered twice (Ctrl-C under
 * `npm run`, or `timeout`, signals the whole process group and the parent forwards it again) and is
 * not taken as a request to stop at once.
 */
import type { FastifyInstance } from 'fastify';
import { setDraining } from './readiness.js';

/** Default seconds to wait for in-flight work before giving up. */
export const shutdownGraceSeconds = 30;

/** A signal this soon after the first (ms) is the same interrupt delivered twice. */
export const duplicateSignalMs = 1000;

/** Installs the signal handlers; returns the function they call (also usable directly). */
export function installGracefulShutdown(
  app: FastifyInstance,
  steps: {
    close: () => Promise<void>;
    graceSeconds?: number;
    exit?: (code: number) => void;
    log?: (m: string) => void;
    /** Milliseconds after the first signal within which another one is a duplicate (default 1,000). */
    duplicateMs?: number;
  },
): () => Promise<void> {
  const exit = steps.exit ?? ((code: number) => process.exit(code));
  const log = steps.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  let stoppingSince: number | undefined;
  const stop = async () => {
    if (stoppingSince !== undefined) {
      if (performance.now() - stoppingSince < (steps.duplicateMs ?? duplicateSignalMs)) return;
      log('parcelgate: second signal, exiting now');
      exit(1);
      return;
    }
    stoppingSince = performance.now();
    setDraining(app);
    log('parcelgate: shutting down, finishing in-flight requests (signal again to exit at once)');
    const timer = setTimeout(
      () => {
        log('parcelgate: shutdown deadline passed, exiting');
        exit(1);
      },
      (steps.graceSeconds ?? shutdownGraceSeconds) * 1000,
    );
    timer.unref();
    // A keep-alive connection whose request finishes during the close would hold it open until its
    // idle timeout: close connections as soon as they fall idle.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    sweep.unref();
    try {
      await app.close();
      clearInterval(sweep);
      await steps.close();
      clearTimeout(timer);
      exit(0);
    } catch (err) {
      log(`parcelgate: shutdown failed: ${(err as Error).message}`);
      exit(1);
    }
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return stop;
}

/**
 * Passes records through until a shutdown signal arrives, then ends the stream: the batch being
 * filled is submitted and committed as usual and the ingest finishes cleanly. `stopped()` says
 * whether it was cut short.
 */
export function untilSignal<T>(source: AsyncIterable<T>): {
  records: AsyncIterable<T>;
  stopped: () => boolean;
} {
  let stop = false;
  const on = () => {
    stop = true;
  };
  return {
    stopped: () => stop,
    records: (async function* () {
      process.once('SIGINT', on);
      process.once('SIGTERM', on);
      try {
        for await (const r of source) {
          yield r;
          if (stop) return;
        }
      } finally {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
      }
    })(),
  };
}
