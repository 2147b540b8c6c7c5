import { CheckRegistry } from '../../lib/checks/check.registry.js';
import { HealthCheckRunner } from '../../lib/checks/health-check.runner.js';
import type { HealthcheckModuleOptions } from '../../lib/index.js';
import { resolveModuleOptions } from '../../lib/options/healthcheck-options.resolver.js';

/** A runner with its registry, outside Nest, for unit tests. */
export function createRunner(options: HealthcheckModuleOptions = {}): {
  runner: HealthCheckRunner;
  registry: CheckRegistry;
} {
  const registry = new CheckRegistry(resolveModuleOptions(options));
  return { runner: new HealthCheckRunner(registry), registry };
}
