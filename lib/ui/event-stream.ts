import type { ServerResponse } from 'node:http';
import type { HealthCheckRunner } from '../checks/health-check.runner.js';
import type { HealthHistory } from '../history/health-history.service.js';
import { toHistoryEntry, withoutOutput } from '../history/history-entry.js';
import type { HealthEvent } from '../interfaces/health-event.interface.js';
import { resultPayload, snapshotPayload } from './stream-payloads.js';

/** What the stream reads: the runner's cache and events, the history, and the page's settings. */
export interface EventStreamSource {
  runner: Pick<HealthCheckRunner, 'snapshot' | 'subscribe'>;
  history?: Pick<HealthHistory, 'entries'>;
  /** The dashboard's title, sent in the snapshot event. */
  title: string;
  /** The option's value for this request (a predicate already applied). */
  showDetails: boolean;
}

export interface EventStreamOptions {
  /** Milliseconds between keep-alive comments. Default 15000. */
  heartbeatMs?: number;
  /** A client that lets this many bytes pile up unread is disconnected (it reconnects to a fresh snapshot). */
  maxBufferedBytes?: number;
  /** Milliseconds the browser waits before reconnecting. Default 2000. */
  retryMs?: number;
}

export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

/**
 * Serves the health events as Server-Sent Events on a raw Node.js response (Express's `res`, Fastify's
 * `reply.raw` after `reply.hijack()`, or the health server's): first a `snapshot` event, then a `result` event
 * per new result and a `change` event per status flip, with a comment every `heartbeatMs`. Ends on the
 * runner's shutdown event; stops listening when the client goes. Returns a function that ends the stream.
 */
export function serveEventStream(
  response: ServerResponse,
  source: EventStreamSource,
  {
    heartbeatMs = 15_000,
    maxBufferedBytes = 1 << 20,
    retryMs = 2_000,
  }: EventStreamOptions = {},
): () => void {
  const { runner, history, title, showDetails } = source;
  let open = true;
  const send = (chunk: string): void => {
    if (!open) return;
    response.write(chunk);
    (response as { flush?: () => void }).flush?.();
    if (response.writableLength > maxBufferedBytes) close();
  };
  const event = (name: string, data: unknown): void =>
    send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

  const onEvent = (healthEvent: HealthEvent): void => {
    switch (healthEvent.type) {
      case 'result': {
        const payload = resultPayload(
          healthEvent.name,
          runner.snapshot(),
          showDetails,
          Date.now(),
        );
        if (payload) event('result', payload);
        return;
      }
      case 'check':
      case 'overall': {
        const entry = toHistoryEntry(healthEvent, Date.now());
        event('change', showDetails ? entry : withoutOutput(entry));
        return;
      }
      case 'shutdown':
        event('shutdown', {});
        close();
    }
  };

  const heartbeat = setInterval(() => send(': keep-alive\n\n'), heartbeatMs);
  heartbeat.unref?.();
  const unsubscribe = runner.subscribe(onEvent);

  function close(): void {
    if (!open) return;
    open = false;
    clearInterval(heartbeat);
    unsubscribe();
    response.off('close', close);
    if (!response.writableEnded) response.end();
  }
  response.on('close', close);
  if (response.destroyed) {
    close();
    return close;
  }

  response.writeHead(200, EVENT_STREAM_HEADERS);
  send(`retry: ${retryMs}\n\n`);
  event(
    'snapshot',
    snapshotPayload(
      runner.snapshot(),
      history?.entries({ showDetails: true }) ?? [],
      title,
      showDetails,
      Date.now(),
    ),
  );
  return close;
}
