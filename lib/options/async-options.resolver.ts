import { asyncRouteOptionMismatch } from '../healthcheck.messages.js';
import type { HealthcheckModuleOptions } from '../interfaces/module-options.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { resolveModuleOptions } from './module-options.resolver.js';

/**
 * Resolves the options a `forRootAsync` factory returned, against the route options given at the top level
 * (`routes`, already resolved by the module):
 * the factory may repeat them but not change them, and may add environment settings only when the top level
 * enabled the environment route.
 */
export function resolveAsyncModuleOptions(
  fromFactory: HealthcheckModuleOptions | undefined,
  routes: ResolvedHealthcheckOptions,
): ResolvedHealthcheckOptions {
  const resolved = {
    ...resolveModuleOptions(fromFactory ?? {}),
    guards: routes.guards,
    swagger: routes.swagger,
  };
  if (fromFactory?.path !== undefined && resolved.path !== routes.path) {
    throw new Error(asyncRouteOptionMismatch('path'));
  }
  for (const option of ['guards', 'swagger'] as const) {
    if (fromFactory?.[option] !== undefined) {
      throw new Error(asyncRouteOptionMismatch(option));
    }
  }
  const factoryEnvironment = fromFactory?.environment;
  if (factoryEnvironment === undefined || factoryEnvironment === false) {
    if (factoryEnvironment === false && routes.environment) {
      throw new Error(asyncRouteOptionMismatch('environment'));
    }
    return { ...resolved, path: routes.path, environment: routes.environment };
  }
  if (!routes.environment || !resolved.environment) {
    throw new Error(asyncRouteOptionMismatch('environment'));
  }
  const factoryPath =
    typeof factoryEnvironment === 'object'
      ? factoryEnvironment.path
      : undefined;
  if (
    factoryPath !== undefined &&
    resolved.environment.path !== routes.environment.path
  ) {
    throw new Error(asyncRouteOptionMismatch('environment.path'));
  }
  if (typeof factoryEnvironment === 'object' && factoryEnvironment.guards) {
    throw new Error(asyncRouteOptionMismatch('environment.guards'));
  }
  const { path, guards } = routes.environment;
  return {
    ...resolved,
    path: routes.path,
    environment: { ...resolved.environment, path, guards },
  };
}
