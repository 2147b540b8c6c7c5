import { SetMetadata } from '@nestjs/common';
import { HEALTH_CHECK_METADATA } from '../healthcheck.constants.js';
import type { HealthCheckOptions } from '../interfaces/check.interface.js';

/**
 * Marks a provider or controller method as a health check. Takes a name or options; the name defaults to the
 * method's name. The method may return `[passed, output]`, `{ passed, output }` or a boolean, sync, as a
 * Promise or as an Observable.
 */
export function HealthCheck(
  nameOrOptions?: string | HealthCheckOptions,
): MethodDecorator {
  const options =
    typeof nameOrOptions === 'string' ? { name: nameOrOptions } : nameOrOptions;
  return SetMetadata(HEALTH_CHECK_METADATA, options ?? {});
}
