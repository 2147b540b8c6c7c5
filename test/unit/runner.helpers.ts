import { CheckRegistry } from '../../lib/checks/check.registry.js';
import { HealthCheckRunner } from '../../lib/checks/health-check.runner.js';
import type { HealthcheckModuleOptions } from '../../lib/index.js';
import { resolveModuleOptions } from '../../lib/options/module-options.resolver.js';

/** A runner with its registry, outside Nest, for unit tests. */
export function createRunner(options: HealthcheckModuleOptions = {}): {
  runner: HealthCheckRunner;
  registry: CheckRegistry;
} {
  const resolved = resolveModuleOptions(options);
  const registry = new CheckRegistry(resolved);
  return { runner: new HealthCheckRunner(registry, resolved), registry };
}
