import { Injectable, type NestMiddleware, RequestMethod } from '@nestjs/common';
import type { RouteInfo } from '@nestjs/common/interfaces/middleware/middleware-configuration.interface.js';
import { HttpAdapterHost } from '@nestjs/core';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { HealthEndpoints } from './health-endpoints.js';
import { sendResponse } from './send-response.js';

/** Methods the health routes serve themselves; OPTIONS stays free for CORS. */
const SERVED = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sub-paths of the health controller, of the dashboard controller and of the environment controller. */
const HEALTH_SUB_PATHS = ['', 'live', 'ready', 'startup', 'group/:tag'];
const HISTORY_SUB_PATH = 'history';
const DASHBOARD_SUB_PATHS = ['ui', 'events'];

/**
 * Answers 405 JSON (with `Allow: GET, HEAD`) to a method other than GET, HEAD and OPTIONS on a health route.
 * It is middleware on the routes' exact paths, not four more routes per path: the application's router and
 * its startup log hold only the GET routes.
 */
@Injectable()
export class MethodNotAllowedMiddleware implements NestMiddleware {
  constructor(
    private readonly endpoints: HealthEndpoints,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  use(request: { method?: string }, response: unknown, next: () => void): void {
    const method = request.method ?? 'GET';
    if (SERVED.has(method)) return next();
    sendResponse(
      this.adapterHost.httpAdapter,
      response,
      this.endpoints.methodNotAllowed(method),
    );
  }
}

/** The exact paths of the health routes on the application's server, for the 405 middleware. */
export function healthRoutePaths(
  options: Pick<ResolvedHealthcheckOptions, 'path' | 'environment' | 'ui'> & {
    history?: unknown;
  },
): RouteInfo[] {
  const subPaths = [
    ...HEALTH_SUB_PATHS,
    ...(options.history === null ? [] : [HISTORY_SUB_PATH]),
    ...(options.ui ? DASHBOARD_SUB_PATHS : []),
  ];
  const paths = subPaths.map((sub) =>
    [options.path, sub].filter((part) => part !== '').join('/'),
  );
  if (options.environment) paths.push(options.environment.path);
  return paths.map((path) => ({
    path: path === '' ? '/' : path,
    method: RequestMethod.ALL,
  }));
}
