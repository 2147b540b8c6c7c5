import type { DependencyResolver } from '../../lib/ready-checks/health-check.definition.js';
export { freePort as closedPort } from '../services/service-utils.js';

/** Resolves a dependency given as an instance, as the module does; a token is refused (no DI in unit tests). */
export const passThrough: DependencyResolver = (
  option,
  value,
  isInstance,
  expected,
) => {
  if (!isInstance(value)) throw new Error(`${option}: expected ${expected}`);
  return value;
};
