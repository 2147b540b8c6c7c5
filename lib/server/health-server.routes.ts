import { Inject, Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { toHealthRequest } from '../access/health-request.js';
import { HealthMonitor } from '../checks/health.monitor.js';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import {
  authorizeTimedOut,
  drainedThrough,
  drainForbidden,
  drainNeedsAuthorize,
  drainRouteDurationInvalid,
  environmentForbidden,
  environmentNeedsAuthorize,
  methodNotAllowed,
  noHealthRoute,
} from '../healthcheck.messages.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { HealthEndpoints, type QueryValue } from '../http/health-endpoints.js';
import {
  baseHeaders,
  errorResponse,
  type HttpResponse,
} from '../report/http-response.js';
import { MAX_DRAIN_MS } from '../status/drain.js';
import {
  createHealthRouteMatcher,
  type HealthRoute,
} from './health-route.matcher.js';

/** A request to the health server as its routes read it: Node.js's, or one handed over by its worker thread. */
export interface HealthServerRequest {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  socket: { remoteAddress?: string };
}

/** What a route answers: a prepared response, one to come, or nothing when it wrote its own (a stream). */
export type HealthServerAnswer =
  HttpResponse | Promise<HttpResponse> | undefined;

const DRAIN_HEADERS = baseHeaders();

/** How long `server.authorize` may take: one that never settles must not hold the request (and a connection). */
export const AUTHORIZE_TIMEOUT_MS = 5_000;

/**
 * The routes of the module's own health server, matched without a router: the same answers as the
 * controllers, plus what only this server has (the environment behind `authorize`, the drain route). Both the
 * server on the main thread and the threaded one (for what its worker hands over) answer through it.
 */
@Injectable()
export class HealthServerRoutes {
  private readonly match: (pathname: string) => HealthRoute | undefined;

  constructor(
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
    private readonly endpoints: HealthEndpoints,
    private readonly monitor: HealthMonitor,
  ) {
    this.match = createHealthRouteMatcher({
      path: options.path,
      environmentPath: options.environment?.path ?? null,
      ui: options.ui !== null,
      drain: options.server?.drainRoute === true,
    });
  }

  /** The answer to `request`; `response` is written directly only by the event stream. */
  answer(
    request: HealthServerRequest,
    response: ServerResponse,
  ): HealthServerAnswer {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const pathname = queryStart === -1 ? url : url.slice(0, queryStart);
    const query = new URLSearchParams(
      queryStart === -1 ? '' : url.slice(queryStart + 1),
    );
    const route = this.match(pathname);
    if (!route) return this.endpoints.error(404, noHealthRoute(pathname));
    const method = request.method ?? 'GET';
    if (route.kind === 'drain') return this.drain(method, query, request);
    if (method !== 'GET' && method !== 'HEAD') {
      return this.endpoints.methodNotAllowed(method);
    }
    switch (route.kind) {
      case 'report':
        return this.endpoints.report(
          queryValue(query, 'check'),
          queryValue(query, 'exclude'),
          request,
        );
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

  /** A JSON error with the health routes' headers. */
  error(status: number, message: string): HttpResponse {
    return this.endpoints.error(status, message);
  }

  private async environment(
    request: HealthServerRequest,
  ): Promise<HttpResponse> {
    const authorize = this.options.server?.authorize;
    if (!authorize) return this.endpoints.error(403, environmentNeedsAuthorize);
    const allowed = await this.authorized(authorize, request);
    if (allowed === undefined) return this.authorizeTimedOut();
    return allowed
      ? this.endpoints.environment()
      : this.endpoints.error(403, environmentForbidden);
  }

  /**
   * `POST` drains for `?forMs=` milliseconds (no end without it) with `?reason=` (default: who asked), `DELETE`
   * ends the drain; both only when `server.authorize` allows the request.
   */
  private async drain(
    method: string,
    query: URLSearchParams,
    request: HealthServerRequest,
  ): Promise<HttpResponse> {
    if (method !== 'POST' && method !== 'DELETE') {
      return errorResponse(405, methodNotAllowed(method), {
        Allow: 'POST, DELETE',
      });
    }
    const authorize = this.options.server?.authorize;
    if (!authorize) return this.endpoints.error(403, drainNeedsAuthorize);
    const allowed = await this.authorized(authorize, request);
    if (allowed === undefined) return this.authorizeTimedOut();
    if (!allowed) return this.endpoints.error(403, drainForbidden);
    if (method === 'DELETE') {
      this.monitor.undrain();
      return drainAnswer(undefined);
    }
    const forMs = query.get('forMs');
    // Digits only: Number() would also take '', ' 5', '1e3' and '0x10', and report NaN for 'abc'.
    if (
      forMs !== null &&
      (!/^[0-9]{1,10}$/.test(forMs) ||
        Number(forMs) < 1 ||
        Number(forMs) > MAX_DRAIN_MS)
    ) {
      return this.endpoints.error(
        400,
        drainRouteDurationInvalid(forMs, MAX_DRAIN_MS),
      );
    }
    try {
      this.monitor.drain({
        reason:
          query.get('reason') ??
          drainedThrough(method, request.socket.remoteAddress),
        ...(forMs !== null && { forMs: Number(forMs) }),
      });
    } catch (error) {
      return this.endpoints.error(
        400,
        error instanceof Error ? error.message : String(error),
      );
    }
    return drainAnswer(this.monitor.drainState());
  }

  /** Whether `authorize` lets the request through (only `true` does); undefined when it did not decide in time. */
  private async authorized(
    authorize: NonNullable<
      NonNullable<ResolvedHealthcheckOptions['server']>['authorize']
    >,
    request: HealthServerRequest,
  ): Promise<boolean | undefined> {
    const timedOut = Symbol('timed out');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<typeof timedOut>((resolve) => {
      timer = setTimeout(() => resolve(timedOut), AUTHORIZE_TIMEOUT_MS);
    });
    try {
      const decision: unknown = await Promise.race([
        authorize(toHealthRequest(request)),
        deadline,
      ]);
      return decision === timedOut ? undefined : decision === true;
    } finally {
      clearTimeout(timer);
    }
  }

  private authorizeTimedOut(): HttpResponse {
    return errorResponse(503, authorizeTimedOut(AUTHORIZE_TIMEOUT_MS), {
      'Retry-After': '1',
    });
  }
}

/** The drain route's answer: the drain under way, if any. */
function drainAnswer(state: unknown): HttpResponse {
  return {
    status: 200,
    headers: DRAIN_HEADERS,
    body: JSON.stringify({ drained: state ?? false }),
  };
}

/** A query parameter as the platforms parse it: absent, one value, or every value when repeated. */
function queryValue(query: URLSearchParams, name: string): QueryValue {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values.length === 1 ? values[0] : values;
}
