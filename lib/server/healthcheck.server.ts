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
import { toHealthRequest } from '../access/health-request.js';
import { describeThrown } from '../checks/describe-thrown.js';
import {
  HEALTHCHECK_RESOLVED_OPTIONS,
  LOGGER_CONTEXT,
} from '../healthcheck.constants.js';
import {
  environmentForbidden,
  environmentNeedsAuthorize,
  healthRouteFailed,
  healthServerListenFailed,
  healthServerPortInUse,
  noHealthRoute,
} from '../healthcheck.messages.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { HealthEndpoints, type QueryValue } from '../http/health-endpoints.js';
import { type HttpResponse, renderBody } from '../report/http-response.js';
import { ConnectionDrain } from './connection-drain.js';
import {
  HEALTH_SERVER_TIMEOUTS,
  type HealthServerTimeouts,
} from './health-server.timeouts.js';
import {
  createHealthRouteMatcher,
  type HealthRoute,
} from './health-route.matcher.js';

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
 * idle or slow clients from holding it.
 */
@Injectable()
export class HealthcheckServer
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private server?: Server;
  /** Connections that have not sent a request yet, which `closeIdleConnections()` would leave open. */
  private readonly unused = new Set<Socket>();
  private readonly match: (pathname: string) => HealthRoute | undefined;
  private readonly encoded = new WeakMap<HttpResponse, EncodedResponse>();

  constructor(
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
    private readonly endpoints: HealthEndpoints,
    private readonly drain: ConnectionDrain,
    @Inject(HEALTH_SERVER_TIMEOUTS)
    private readonly timeouts: HealthServerTimeouts,
  ) {
    this.match = createHealthRouteMatcher({
      path: options.path,
      environmentPath: options.environment?.path ?? null,
      ui: options.ui !== null,
    });
  }

  /** Where the health server listens; null when it is off or not listening. */
  address(): { host: string; port: number } | null {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address ? { host: address.address, port: address.port } : null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.options.server;
    if (!settings) return;
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

  /** Answers a request; a warm cache is answered without a promise. */
  private handle(request: IncomingMessage, response: ServerResponse): void {
    let prepared: ReturnType<HealthcheckServer['answer']>;
    try {
      prepared = this.answer(request, response);
    } catch (error) {
      return this.fail(response, error);
    }
    if (prepared instanceof Promise) {
      prepared.then(
        (settled) => settled && this.send(response, settled),
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
      this.write(response, this.endpoints.error(500, message));
    } catch {
      response.destroy();
    }
  }

  /** The response to a request; undefined when the route answered on its own (a stream). */
  private answer(
    request: IncomingMessage,
    response: ServerResponse,
  ): HttpResponse | Promise<HttpResponse> | undefined {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const pathname = queryStart === -1 ? url : url.slice(0, queryStart);
    const route = this.match(pathname);
    if (!route) return this.endpoints.error(404, noHealthRoute(pathname));
    const method = request.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      return this.endpoints.methodNotAllowed(method);
    }
    switch (route.kind) {
      case 'report': {
        const query = new URLSearchParams(
          queryStart === -1 ? '' : url.slice(queryStart + 1),
        );
        return this.endpoints.report(
          queryValue(query, 'check'),
          queryValue(query, 'exclude'),
          request,
        );
      }
      case 'probe':
        return this.endpoints.probe(route.probe, request);
      case 'group':
        return this.endpoints.group(route.tag, request);
      case 'environment':
        return this.environment(request);
      case 'history':
        return this.options.history
          ? this.endpoints.history(request)
          : this.endpoints.error(404, noHealthRoute(pathname));
      case 'ui':
        return this.endpoints.ui();
      case 'events':
        this.endpoints.events(request, response);
        return undefined;
    }
  }

  private async environment(request: IncomingMessage): Promise<HttpResponse> {
    const authorize = this.options.server?.authorize;
    if (!authorize) return this.endpoints.error(403, environmentNeedsAuthorize);
    const allowed = await authorize(toHealthRequest(request));
    return allowed === true
      ? this.endpoints.environment()
      : this.endpoints.error(403, environmentForbidden);
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

/** A query parameter as the platforms parse it: absent, one value, or every value when repeated. */
function queryValue(query: URLSearchParams, name: string): QueryValue {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}
