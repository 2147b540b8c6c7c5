/*
 * The health server's worker thread. These functions run inside the worker from their source text (see
 * worker-source.ts), so each may use only its parameters, the other functions listed there and Node.js's
 * globals: no imports, no module constants. Type imports are erased and allowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessagePort } from 'node:worker_threads';
import type { HealthRoute, HealthRoutePaths } from '../health-route.matcher.js';
import type { HealthServerTimeouts } from '../health-server.timeouts.js';
import type { PublishedAnswer } from './published-answer.js';

/** What the worker is started with (its `workerData`). */
export interface HealthServerWorkerData {
  port: number;
  host: string | undefined;
  maxConnections: number | undefined;
  timeouts: HealthServerTimeouts;
  routes: HealthRoutePaths;
  limits: { notReadyAfter: number; notLiveAfter: number };
  /** Heartbeat slot 0: the main thread's last beat (monotonic ms); slot 1: 1 once shutdown began. */
  heartbeat: SharedArrayBuffer;
  /** True when `showDetails` is a function: table answers are the fallback, the main thread decides. */
  askMainThread: boolean;
  /** A heartbeat older than this (ms) means the main thread is busy: nothing is handed to it. */
  busyAfterMs: number;
  /** How long (ms) a probe or report handed to the main thread waits before its fallback answer. */
  fallbackAfterMs: number;
  /** How long (ms) any other request handed to the main thread waits before a 503. */
  forwardTimeoutMs: number;
  /** Milliseconds the close waits for requests in progress before it ends their connections. */
  closeGraceMs: number;
  /** Bytes a slow event-stream client may leave unread before it is dropped. */
  maxStreamBacklog: number;
  /** The 503 answer when the main thread cannot answer. */
  busy: PublishedAnswer;
  /** The 500 answer when the worker itself fails a request. */
  failed: PublishedAnswer;
}

/** A table entry: the answer, and for probes and reports the answer while the main thread is blocked. */
export interface TableEntry {
  answer: PublishedAnswer;
  blocked?: PublishedAnswer;
}

/** Messages from the main thread to the worker. */
export type ToWorker =
  | { type: 'table'; entries: Array<[string, TableEntry | null]> }
  | { type: 'reply'; id: number; answer: PublishedAnswer }
  | {
      type: 'stream-head';
      id: number;
      status: number;
      headers: Record<string, string>;
    }
  | { type: 'stream-chunk'; id: number; chunk: string }
  | { type: 'stream-end'; id: number; destroy: boolean }
  | { type: 'close' };

/** Messages from the worker to the main thread. */
export type FromWorker =
  | { type: 'listening'; host: string; port: number }
  | { type: 'listen-failed'; code: string | undefined; message: string }
  | {
      type: 'request';
      id: number;
      method: string;
      url: string;
      headers: Record<string, string | string[] | undefined>;
      remoteAddress: string | undefined;
    }
  | { type: 'stream-closed'; id: number }
  | { type: 'closed' };

/** The table key of a request the worker may answer on its own; undefined when the main thread must. */
export function tableKey(
  route: HealthRoute,
  method: string,
  query: string,
): string | undefined {
  if (method !== 'GET' && method !== 'HEAD') return undefined;
  switch (route.kind) {
    case 'report': {
      const params = new URLSearchParams(query);
      return params.has('check') || params.has('exclude')
        ? undefined
        : 'report';
    }
    case 'probe':
      return `probe:${route.probe}`;
    case 'group':
      return `group:${route.tag}`;
    case 'history':
      return 'history';
    case 'ui':
      return 'ui';
    default:
      return undefined;
  }
}

/**
 * How old the main thread's heartbeat may be before this route fails: liveness and startup (and their groups)
 * after `notLiveAfter`, readiness and every other report after `notReadyAfter`; undefined for the pages.
 */
export function blockLimit(
  route: HealthRoute,
  limits: { notReadyAfter: number; notLiveAfter: number },
): number | undefined {
  const group =
    route.kind === 'probe'
      ? route.probe
      : route.kind === 'group'
        ? route.tag
        : route.kind === 'report'
          ? ''
          : undefined;
  if (group === undefined) return undefined;
  return group === 'liveness' || group === 'startup'
    ? limits.notLiveAfter
    : limits.notReadyAfter;
}

/** The body of an answer with its holes filled. */
export function renderAnswer(
  answer: PublishedAnswer,
  nowMs: number,
  blockedMs: number,
): string {
  let body = answer.segments[0];
  for (let index = 0; index < answer.holes.length; index += 1) {
    body +=
      (answer.holes[index] === 'now'
        ? String(nowMs / 1000)
        : String(blockedMs)) + answer.segments[index + 1];
  }
  return body;
}

/** Starts the worker's HTTP server; called with the worker's own modules. */
export function runHealthServerWorker(
  threads: typeof import('node:worker_threads'),
  http: typeof import('node:http'),
): void {
  const data = threads.workerData as HealthServerWorkerData;
  const port = threads.parentPort as MessagePort;
  const beat = new BigInt64Array(data.heartbeat);
  const match = createHealthRouteMatcher(data.routes);
  const table = new Map<string, TableEntry>();
  /** Encoded bytes of answers without holes, made once. */
  const encoded = new WeakMap<PublishedAnswer, Buffer>();
  const waiting = new Map<
    number,
    {
      response: ServerResponse;
      fallback: PublishedAnswer;
      timer: ReturnType<typeof setTimeout>;
      streaming: boolean;
    }
  >();
  const unused = new Set<import('node:net').Socket>();
  let nextId = 0;

  const send = (
    response: ServerResponse,
    answer: PublishedAnswer,
    blockedMs = 0,
  ): void => {
    let body = encoded.get(answer);
    if (!body) {
      body = Buffer.from(renderAnswer(answer, Date.now(), blockedMs));
      if (answer.holes.length === 0) encoded.set(answer, body);
    }
    const headers: Array<string> = [];
    for (const [name, value] of answer.headers) headers.push(name, value);
    headers.push('Content-Length', String(body.length));
    response.writeHead(answer.status, headers);
    response.end(body);
  };

  const finish = (id: number) => {
    const pending = waiting.get(id);
    if (pending) clearTimeout(pending.timer);
    waiting.delete(id);
    return pending;
  };

  const forward = (
    request: IncomingMessage,
    response: ServerResponse,
    fallback: PublishedAnswer,
    waitMs: number,
  ): void => {
    const id = (nextId += 1);
    const timer = setTimeout(() => {
      const pending = finish(id);
      if (pending && !pending.streaming) send(response, fallback);
    }, waitMs);
    waiting.set(id, { response, fallback, timer, streaming: false });
    response.once('close', () => {
      const pending = finish(id);
      if (pending?.streaming) port.postMessage({ type: 'stream-closed', id });
    });
    port.postMessage({
      type: 'request',
      id,
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
      remoteAddress: request.socket.remoteAddress,
    } satisfies FromWorker);
  };

  // The heartbeat's clock (monotonicMs in heartbeat.ts, which the worker cannot import): process-wide.
  const heartbeatAge = (): number =>
    Number(process.hrtime.bigint() / 1_000_000n - Atomics.load(beat, 0));

  // A request handed over just before the main thread got busy would wait for the whole block (up to the
  // forward timeout): once the heartbeat is as old as when nothing is handed over, it gets the answer it
  // would get now, the prepared one or the 503.
  const busyWatch = setInterval(
    () => {
      if (waiting.size === 0 || heartbeatAge() <= data.busyAfterMs) return;
      for (const [id, pending] of waiting) {
        if (pending.streaming) continue;
        finish(id);
        send(pending.response, pending.fallback);
      }
    },
    Math.max(10, Math.floor(data.busyAfterMs / 3)),
  );
  busyWatch.unref();

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    unused.delete(request.socket);
    if (beat[1] === 1n) response.setHeader('Connection', 'close');
    const ageMs = heartbeatAge();
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const pathname = queryStart === -1 ? url : url.slice(0, queryStart);
    const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
    const route = match(pathname);
    const key = route && tableKey(route, request.method ?? 'GET', query);
    const entry = key === undefined ? undefined : table.get(key);
    if (route && entry) {
      const limit = blockLimit(route, data.limits);
      if (limit !== undefined && ageMs > limit && entry.blocked) {
        return send(response, entry.blocked, ageMs);
      }
      if (
        !data.askMainThread ||
        route.kind === 'ui' ||
        ageMs > data.busyAfterMs
      ) {
        return send(response, entry.answer);
      }
      return forward(request, response, entry.answer, data.fallbackAfterMs);
    }
    if (ageMs > data.busyAfterMs) return send(response, data.busy);
    forward(request, response, data.busy, data.forwardTimeoutMs);
  };

  const server = http.createServer(data.timeouts, (request, response) => {
    try {
      request.resume();
      handle(request, response);
    } catch {
      if (response.headersSent) response.destroy();
      else send(response, data.failed);
    }
  });
  if (data.maxConnections !== undefined) {
    server.maxConnections = data.maxConnections;
  }
  server.on('connection', (socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });

  const close = () => {
    server.close(() =>
      port.postMessage({ type: 'closed' } satisfies FromWorker),
    );
    for (const socket of unused) socket.destroy();
    server.closeIdleConnections();
    // Event streams end now; a request still with the main thread keeps waiting for its answer.
    for (const [id, pending] of waiting) {
      if (!pending.streaming) continue;
      finish(id);
      pending.response.end();
    }
    setTimeout(() => server.closeAllConnections(), data.closeGraceMs).unref();
  };

  port.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'table':
        for (const [key, entry] of message.entries) {
          if (entry) table.set(key, entry);
          else table.delete(key);
        }
        return;
      case 'reply': {
        const pending = finish(message.id);
        if (pending && !pending.response.headersSent) {
          send(pending.response, message.answer);
        }
        return;
      }
      case 'stream-head': {
        const pending = waiting.get(message.id);
        if (!pending) {
          port.postMessage({ type: 'stream-closed', id: message.id });
          return;
        }
        clearTimeout(pending.timer);
        pending.streaming = true;
        pending.response.writeHead(message.status, message.headers);
        return;
      }
      case 'stream-chunk': {
        const pending = waiting.get(message.id);
        if (!pending) return;
        // Dropped when what it was sent before is still unread: one event larger than the limit (a big snapshot)
        // still reaches a client that reads it.
        if (pending.response.writableLength > data.maxStreamBacklog) {
          pending.response.destroy();
          return;
        }
        pending.response.write(message.chunk);
        return;
      }
      case 'stream-end': {
        const pending = finish(message.id);
        if (!pending) return;
        if (message.destroy) pending.response.destroy();
        else pending.response.end();
        return;
      }
      case 'close':
        close();
        return;
    }
  });

  server.once('error', (error: NodeJS.ErrnoException) => {
    port.postMessage({
      type: 'listen-failed',
      code: error.code,
      message: error.message,
    } satisfies FromWorker);
  });
  server.listen(data.port, data.host, () => {
    const address = server.address() as import('node:net').AddressInfo;
    port.postMessage({
      type: 'listening',
      host: address.address,
      port: address.port,
    } satisfies FromWorker);
  });
}

// Declared for the type-checker: the matcher's source text is put beside these functions in the worker.
declare function createHealthRouteMatcher(
  paths: HealthRoutePaths,
): (pathname: string) => HealthRoute | undefined;
