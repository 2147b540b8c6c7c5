import type { ServerResponse } from 'node:http';
import type { HealthMonitor } from '../checks/health.monitor.js';
import {
  applicationShuttingDown,
  streamClientsFull,
} from '../healthcheck.messages.js';
import type { HealthHistory } from '../history/health-history.service.js';
import { toHistoryEntry } from '../history/history-entry.js';
import type { HealthEvent } from '../interfaces/health-event.interface.js';
import { presentHistoryEntry } from '../report/presentation.js';
import { errorResponse, writeRaw } from '../report/http-response.js';
import { resultPayload, snapshotPayload } from './stream-payloads.js';

/** What the stream reads: the status model's state and events, the history, and the page's settings. */
export interface EventStreamSource {
  monitor: Pick<
    HealthMonitor,
    | 'snapshot'
    | 'overall'
    | 'subscribe'
    | 'refreshExpired'
    | 'shuttingDown'
    | 'drainState'
  >;
  history?: Pick<HealthHistory, 'entries'>;
  /** The dashboard's title, sent in the snapshot event. */
  title: string;
}

export interface EventStreamOptions {
  /** Clients served at once; one more is answered 503. Default 100. */
  maxClients?: number;
  /** Milliseconds between keep-alive comments. Default 15000. */
  heartbeatMs?: number;
  /** A client that lets this many bytes pile up unread is disconnected (it reconnects to a fresh snapshot). */
  maxBufferedBytes?: number;
  /** Milliseconds the browser waits before reconnecting. Default 2000. */
  retryMs?: number;
  /** Milliseconds between refreshes of expired on-demand checks while a client is connected. Default 1000. */
  refreshMs?: number;
}

export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
};

interface StreamClient {
  response: ServerResponse;
  showDetails: boolean;
}

/** One event's text for each audience, each built on first use. */
type Chunks = { full?: string; public?: string };

/**
 * Serves the health events as Server-Sent Events on raw Node.js responses (Express's `res`, Fastify's
 * `reply.raw` after `reply.hijack()`, or the health server's): first a `snapshot` event, then a `result` event
 * per new result and a `change` event per status change or drain change, each built once per audience and written to every
 * client; a comment every `heartbeatMs`. Outputs appear only for clients that may see details. While a client
 * is connected, expired on-demand checks are refreshed as a probe would. Ends every stream when shutdown begins.
 */
export class EventStreamHub {
  private readonly clients = new Set<StreamClient>();
  private unsubscribe?: () => void;
  private timers: ReturnType<typeof setInterval>[] = [];
  private readonly maxClients: number;
  private readonly heartbeatMs: number;
  private readonly maxBufferedBytes: number;
  private readonly retryMs: number;
  private readonly refreshMs: number;

  constructor(
    private readonly source: EventStreamSource,
    {
      maxClients = 100,
      heartbeatMs = 15_000,
      maxBufferedBytes = 64 * 1024,
      retryMs = 2_000,
      refreshMs = 1_000,
    }: EventStreamOptions = {},
  ) {
    this.maxClients = maxClients;
    this.heartbeatMs = heartbeatMs;
    this.maxBufferedBytes = maxBufferedBytes;
    this.retryMs = retryMs;
    this.refreshMs = refreshMs;
  }

  /** Clients connected now. */
  get size(): number {
    return this.clients.size;
  }

  /** Starts a stream on `response`; answers 503 when the hub is full or shutdown has begun. */
  serve(response: ServerResponse, showDetails: boolean): void {
    if (response.destroyed) return;
    if (
      this.clients.size >= this.maxClients ||
      this.source.monitor.shuttingDown
    ) {
      const reason = this.source.monitor.shuttingDown
        ? applicationShuttingDown
        : streamClientsFull(this.maxClients);
      writeRaw(response, errorResponse(503, reason, { 'Retry-After': '5' }));
      return;
    }
    const client: StreamClient = { response, showDetails };
    this.clients.add(client);
    response.once('close', () => this.drop(client));
    if (this.clients.size === 1) this.start();
    response.writeHead(200, EVENT_STREAM_HEADERS);
    const { monitor, history, title } = this.source;
    const snapshot = snapshotPayload(
      monitor.snapshot(),
      monitor.overall(),
      history?.entries({ showDetails }) ?? [],
      title,
      showDetails,
      Date.now(),
      monitor.drainState(),
    );
    this.write(
      client,
      `retry: ${this.retryMs}\n\n${sse('snapshot', snapshot)}`,
    );
  }

  /** Ends every stream. */
  closeAll(): void {
    for (const client of [...this.clients]) this.drop(client);
  }

  private start(): void {
    this.unsubscribe = this.source.monitor.subscribe((event) =>
      this.onEvent(event),
    );
    const heartbeat = setInterval(
      () =>
        this.broadcast({
          full: ': keep-alive\n\n',
          public: ': keep-alive\n\n',
        }),
      this.heartbeatMs,
    );
    const refresh = setInterval(
      () => this.source.monitor.refreshExpired(),
      this.refreshMs,
    );
    heartbeat.unref?.();
    refresh.unref?.();
    this.timers = [heartbeat, refresh];
  }

  private stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  private onEvent(event: HealthEvent): void {
    switch (event.type) {
      case 'result': {
        const { monitor } = this.source;
        const checks = monitor.snapshot();
        const overall = monitor.overall();
        const now = Date.now();
        this.broadcast({}, (showDetails) => {
          const payload = resultPayload(
            event.name,
            checks,
            overall,
            showDetails,
            now,
          );
          return payload && sse('result', payload);
        });
        return;
      }
      case 'check':
      case 'overall':
      case 'drain': {
        const entry = toHistoryEntry(event, Date.now());
        this.broadcast({}, (showDetails) =>
          sse('change', presentHistoryEntry(entry, showDetails)),
        );
        return;
      }
      case 'shutdown':
        {
          const last = sse('shutdown', {
            overall: this.source.monitor.overall(),
          });
          this.broadcast({ full: last, public: last });
        }
        this.closeAll();
    }
  }

  /** Writes one event to every client, its text built at most once per audience. */
  private broadcast(
    chunks: Chunks,
    build?: (showDetails: boolean) => string | undefined,
  ): void {
    for (const client of [...this.clients]) {
      const key = client.showDetails ? 'full' : 'public';
      if (!(key in chunks)) chunks[key] = build?.(client.showDetails);
      const chunk = chunks[key];
      if (chunk) this.write(client, chunk);
    }
  }

  /**
   * Writes an event, or drops the client when more than `maxBufferedBytes` it was sent before are still unread.
   * Checked before the write, so that one event larger than the limit (a big snapshot) still reaches a client
   * that reads it.
   */
  private write(client: StreamClient, chunk: string): void {
    const { response } = client;
    if (response.writableLength > this.maxBufferedBytes) {
      this.drop(client);
      return;
    }
    response.write(chunk);
    (response as { flush?: () => void }).flush?.();
  }

  private drop(client: StreamClient): void {
    if (!this.clients.delete(client)) return;
    const { response } = client;
    if (!response.writableEnded) response.end();
    if (response.writableLength > this.maxBufferedBytes) response.destroy();
    if (this.clients.size === 0) this.stop();
  }
}

function sse(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}
