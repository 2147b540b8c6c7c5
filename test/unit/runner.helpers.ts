import { CheckRegistry } from '../../lib/checks/check.registry.js';
import { HealthCheckRunner } from '../../lib/checks/health-check.runner.js';
import { HealthMonitor } from '../../lib/checks/health.monitor.js';
import type { HealthcheckModuleOptions } from '../../lib/index.js';
import { resolveModuleOptions } from '../../lib/options/module-options.resolver.js';

/**
 * The status model's coordinator with its registry, outside Nest, for unit tests; `runner` is the public
 * HealthCheckRunner over it.
 */
export function createRunner(options: HealthcheckModuleOptions = {}): {
  monitor: HealthMonitor;
  runner: HealthCheckRunner;
  registry: CheckRegistry;
} {
  const resolved = resolveModuleOptions(options);
  const registry = new CheckRegistry(resolved);
  const monitor = new HealthMonitor(registry, resolved);
  return {
    monitor,
    runner: new HealthCheckRunner(monitor, registry),
    registry,
  };
}
