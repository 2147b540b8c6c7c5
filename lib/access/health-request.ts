import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/**
 * A request to a health route as `showDetails(request)` and `server.authorize(request)` receive it, the same on
 * Express, Fastify and the module's own health server.
 */
export interface HealthRequest {
  /** The HTTP method, e.g. `GET`. */
  method: string;
  /** The path and query as the client sent them, e.g. `/healthcheck?check=db`. */
  url: string;
  /** The request headers, with lower-case names. */
  headers: IncomingHttpHeaders;
  /** The client's address, as the socket sees it (no proxy headers read). */
  remoteAddress: string | undefined;
}

/** What the three request shapes have in common: Express's and Node.js's requests, and Fastify's `raw`. */
interface PlatformRequest {
  raw?: IncomingMessage;
  originalUrl?: string;
  method?: string;
  url?: string;
  headers?: IncomingHttpHeaders;
  socket?: { remoteAddress?: string };
}

/** Builds the HealthRequest of an Express request, a Fastify request or a Node.js IncomingMessage. */
export function toHealthRequest(request: unknown): HealthRequest {
  const given = (request ?? {}) as PlatformRequest;
  const node = (given.raw ?? given) as PlatformRequest;
  return {
    method: node.method ?? 'GET',
    url: given.originalUrl ?? node.url ?? '/',
    headers: node.headers ?? {},
    remoteAddress: node.socket?.remoteAddress,
  };
}
