import {
  asyncFactoryNotOptions,
  asyncRouteOptionMismatch,
} from '../healthcheck.messages.js';
import { describeValue } from '../serialization/describe-value.js';
import type {
  HealthcheckModuleAsyncOptions,
  HealthcheckModuleOptions,
  HealthcheckRouteOptions,
} from '../interfaces/module-options.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { resolveModuleOptions } from './module-options.resolver.js';

/** The resolved options that decide which routes exist, known before DI runs. */
export type RouteOptions = Pick<
  ResolvedHealthcheckOptions,
  keyof HealthcheckRouteOptions
>;

/** Route options that the factory may not give at all: only the top level decides them. */
const TOP_LEVEL_ONLY = [
  'guards',
  'swagger',
  'server',
  'ui',
  'decorators',
] as const satisfies ReadonlyArray<keyof HealthcheckRouteOptions>;

/** Validates the route options given at the top level of `forRootAsync()`. */
export function resolveRouteOptions(
  options: HealthcheckModuleAsyncOptions,
): RouteOptions {
  const { path, environment, guards, swagger, server, ui, decorators } =
    options;
  const resolved = resolveModuleOptions({
    path,
    environment,
    guards,
    swagger,
    server,
    ui,
    decorators,
  });
  return {
    path: resolved.path,
    environment: resolved.environment,
    guards: resolved.guards,
    swagger: resolved.swagger,
    server: resolved.server,
    ui: resolved.ui,
    decorators: resolved.decorators,
  };
}

/**
 * Resolves the options a `forRootAsync` factory returned, against the route options given at the top level
 * (`routes`, already resolved): the factory may repeat `path` and enable an environment route that the top
 * level enabled (with more settings), but not change a route, and may not give the top-level-only options.
 */
export function resolveAsyncModuleOptions(
  fromFactory: HealthcheckModuleOptions | undefined,
  routes: RouteOptions,
): ResolvedHealthcheckOptions {
  if (
    fromFactory !== undefined &&
    (typeof fromFactory !== 'object' ||
      fromFactory === null ||
      Array.isArray(fromFactory))
  ) {
    throw new Error(asyncFactoryNotOptions(describeValue(fromFactory)));
  }
  const factory = fromFactory ?? {};
  for (const option of TOP_LEVEL_ONLY) {
    if (factory[option] !== undefined) {
      throw new Error(asyncRouteOptionMismatch(option));
    }
  }
  const resolved = resolveModuleOptions({
    path: routes.path,
    ...factory,
    environment: onTopLevelRoute(factory.environment, routes),
  });
  if (resolved.path !== routes.path) {
    throw new Error(asyncRouteOptionMismatch('path'));
  }
  const { guards, swagger, server, ui, decorators } = routes;
  return {
    ...resolved,
    guards,
    swagger,
    server,
    ui,
    decorators,
    environment: mergeEnvironment(factory.environment, resolved, routes),
  };
}

function mergeEnvironment(
  given: HealthcheckModuleOptions['environment'],
  resolved: ResolvedHealthcheckOptions,
  routes: RouteOptions,
): ResolvedHealthcheckOptions['environment'] {
  if (given === undefined) return routes.environment;
  if (given === false) {
    if (routes.environment) {
      throw new Error(asyncRouteOptionMismatch('environment'));
    }
    return null;
  }
  if (!routes.environment || !resolved.environment) {
    throw new Error(asyncRouteOptionMismatch('environment'));
  }
  if (typeof given === 'object') {
    if (
      given.path !== undefined &&
      resolved.environment.path !== routes.environment.path
    ) {
      throw new Error(asyncRouteOptionMismatch('environment.path'));
    }
    if (given.guards !== undefined) {
      throw new Error(asyncRouteOptionMismatch('environment.guards'));
    }
  }
  const { path, guards } = routes.environment;
  return { ...resolved.environment, path, guards };
}

/** The factory's environment settings placed on the top-level route, so that they are validated where served. */
function onTopLevelRoute(
  given: HealthcheckModuleOptions['environment'],
  routes: RouteOptions,
): HealthcheckModuleOptions['environment'] {
  if (!routes.environment || given === undefined || given === false) {
    return given;
  }
  const settings = given === true ? {} : given;
  return settings.path === undefined
    ? { ...settings, path: routes.environment.path }
    : given;
}
