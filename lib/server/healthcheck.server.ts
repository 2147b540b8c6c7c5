import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { describeThrown } from '../checks/describe-thrown.js';
import { CheckRegistry } from '../checks/check.registry.js';
import { HealthMonitor } from '../checks/health.monitor.js';
import {
  HEALTHCHECK_RESOLVED_OPTIONS,
  LOGGER_CONTEXT,
} from '../healthcheck.constants.js';
import {
  healthRouteFailed,
  healthServerListenFailed,
  healthServerPortInUse,
} from '../healthcheck.messages.js';
import { HealthHistory } from '../history/health-history.service.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { HealthResponseFactory } from '../report/health-response.factory.js';
import { type HttpResponse, renderBody } from '../report/http-response.js';
import { ConnectionDrain } from './connection-drain.js';
import {
  HEALTH_SERVER_TIMEOUTS,
  type HealthServerTimeouts,
} from './health-server.timeouts.js';
import { HealthServerRoutes } from './health-server.routes.js';
import { AnswerPublisher } from './thread/answer-publisher.js';
import { HealthServerThread } from './thread/health-server.thread.js';

/** A prepared response as bytes, with its headers, for the millisecond `at`. */
interface EncodedResponse {
  at: number;
  body: Buffer;
  headers: OutgoingHttpHeaders;
}

/** Milliseconds the close waits for requests in progress before it ends their connections. */
const CLOSE_GRACE_MS = 5_000;

/**
 * The module's own HTTP server (option `server`): plain `node:http`, the health routes matched without a
 * router, the same answers as the controllers. Nest guards, interceptors, pipes and filters do not run here.
 * Short timeouts (headers 5 s, request 10 s, keep-alive 5 s) and the optional `server.maxConnections` keep
 * idle or slow clients from holding it. With `server.thread` it runs on a worker thread instead (see
 * HealthServerThread).
 */
@Injectable()
export class HealthcheckServer
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private server?: Server;
  private thread?: ThreadedServer;
  /** Connections that have not sent a request yet, which `closeIdleConnections()` would leave open. */
  private readonly unused = new Set<Socket>();
  private readonly encoded = new WeakMap<HttpResponse, EncodedResponse>();

  constructor(
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
    private readonly routes: HealthServerRoutes,
    private readonly drain: ConnectionDrain,
    @Inject(HEALTH_SERVER_TIMEOUTS)
    private readonly timeouts: HealthServerTimeouts,
    private readonly monitor: HealthMonitor,
    private readonly registry: CheckRegistry,
    private readonly responses: HealthResponseFactory,
    private readonly history: HealthHistory,
  ) {}

  /** Where the health server listens; null when it is off or not listening. */
  address(): { host: string; port: number } | null {
    if (this.thread) return this.thread.host.address();
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? { host: address.address, port: address.port } : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.options.server;
    if (!settings) return;
    if (settings.thread) return this.startThread(settings.thread);
    // One request listener does the bookkeeping too: every extra listener costs each probe.
    const server = createServer(this.timeouts, (request, response) => {
      try {
        this.unused.delete(request.socket);
        if (this.drain.active) response.setHeader('Connection', 'close');
        this.handle(request, response);
      } catch (error) {
        this.fail(response, error);
      }
    });
    if (settings.maxConnections !== undefined) {
      server.maxConnections = settings.maxConnections;
    }
    server.on('connection', (socket: Socket) => {
      this.unused.add(socket);
      socket.once('close', () => this.unused.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        const host = settings.host ?? '0.0.0.0';
        reject(
          new Error(
            error.code === 'EADDRINUSE'
              ? healthServerPortInUse(host, settings.port)
              : healthServerListenFailed(host, settings.port, error.message),
          ),
        );
      };
      server.once('error', onError);
      server.listen(settings.port, settings.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    this.server = server;
  }

  /** Closes the server after the shutdown delay (readiness failing meanwhile), idle keep-alive sockets included. */
  async beforeApplicationShutdown(): Promise<void> {
    const thread = this.thread;
    if (thread) {
      this.thread = undefined;
      thread.stop();
      await thread.host.close();
      return;
    }
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) =>
      server.close(() => resolve()),
    );
    for (const socket of this.unused) socket.destroy();
    server.closeIdleConnections();
    const grace = setTimeout(
      () => server.closeAllConnections(),
      CLOSE_GRACE_MS,
    );
    grace.unref();
    await closed;
    clearTimeout(grace);
  }

  /**
   * Starts the worker thread, and on the main thread what feeds it: answers published on every event and at
   * least every second (which also runs the on-demand checks whose TTL is over), and the shutdown flag.
   */
  private async startThread(
    limits: NonNullable<
      NonNullable<ResolvedHealthcheckOptions['server']>['thread']
    >,
  ): Promise<void> {
    const settings = this.options.server!;
    const thread: { host?: HealthServerThread } = {};
    const publisher = new AnswerPublisher({
      monitor: this.monitor,
      registry: this.registry,
      responses: this.responses,
      history: this.history,
      options: this.options,
      limits,
      post: (entries) => thread.host?.post({ type: 'table', entries }),
    });
    const host = new HealthServerThread(
      {
        port: settings.port,
        host: settings.host,
        maxConnections: settings.maxConnections,
        limits,
        timeouts: this.timeouts,
        routes: {
          path: this.options.path,
          environmentPath: this.options.environment?.path ?? null,
          ui: this.options.ui !== null,
          drain: settings.drainRoute,
        },
        askMainThread: typeof this.options.showDetails === 'function',
      },
      this.routes,
      publisher,
      this.logger,
    );
    thread.host = host;
    const unsubscribe = this.monitor.subscribe((event) => {
      if (event.type === 'shutdown') host.markShutdown();
      publisher.schedule();
    });
    const tick = setInterval(() => {
      this.runOnDemandChecks();
      publisher.schedule();
    }, PUBLISH_INTERVAL_MS);
    tick.unref();
    const stop = () => {
      unsubscribe();
      clearInterval(tick);
      publisher.stop();
    };
    try {
      await host.start();
    } catch (error) {
      stop();
      throw error;
    }
    this.thread = { host, stop };
    this.runOnDemandChecks();
  }

  /**
   * In thread mode nobody asks for the on-demand checks on the main thread: they run here, those never run or
   * whose TTL is over (one run at a time each), and their results reach the worker through the events.
   */
  private runOnDemandChecks(): void {
    try {
      const report = this.monitor.current();
      if (report instanceof Promise) report.catch(() => undefined);
    } catch {
      // Nothing to run: the report needs no check.
    }
  }

  /** Answers a request; a warm cache is answered without a promise. */
  private handle(request: IncomingMessage, response: ServerResponse): void {
    let prepared: ReturnType<HealthServerRoutes['answer']>;
    try {
      prepared = this.routes.answer(request, response);
    } catch (error) {
      return this.fail(response, error);
    }
    if (prepared instanceof Promise) {
      prepared.then(
        (settled) => this.send(response, settled),
        (error: unknown) => this.fail(response, error),
      );
    } else if (prepared) {
      this.send(response, prepared);
    }
  }

  /**
   * Logs a failure and answers 500, or ends the connection when the answer has begun or cannot be written: no
   * error leaves the request handler, where it would end the process.
   */
  private fail(response: ServerResponse, error: unknown): void {
    const message = healthRouteFailed(describeThrown(error));
    this.logger.error(message);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    try {
      this.write(response, this.routes.error(500, message));
    } catch {
      response.destroy();
    }
  }

  /**
   * Writes a prepared response. Its bytes and headers are encoded once per millisecond (the timestamp's
   * resolution), so that most answers under load cost what a static `node:http` answer does.
   */
  private send(response: ServerResponse, prepared: HttpResponse): void {
    try {
      this.write(response, prepared);
    } catch (error) {
      this.fail(response, error);
    }
  }

  private write(response: ServerResponse, prepared: HttpResponse): void {
    const now = Date.now();
    let encoded = this.encoded.get(prepared);
    if (!encoded || (encoded.at !== now && typeof prepared.body !== 'string')) {
      const body = Buffer.from(renderBody(prepared, now));
      encoded = {
        at: now,
        body,
        headers: {
          ...Object.fromEntries(prepared.headers),
          'Content-Length': body.length,
        },
      };
      this.encoded.set(prepared, encoded);
    }
    response.writeHead(prepared.status, encoded.headers);
    response.end(encoded.body);
  }
}

/** The threaded server and what stops its feeding on the main thread. */
interface ThreadedServer {
  host: HealthServerThread;
  stop: () => void;
}

/** Milliseconds between two publications when nothing happens; the on-demand checks whose TTL is over run then. */
const PUBLISH_INTERVAL_MS = 1_000;
