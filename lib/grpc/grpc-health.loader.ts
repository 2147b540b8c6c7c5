import { describeThrown } from '../checks/describe-thrown.js';
import {
  grpcHealthCheckMissing,
  grpcHealthCheckUnusable,
} from '../healthcheck.messages.js';

/** A variable, so that neither TypeScript nor a bundler treats the optional peer as a dependency. */
const GRPC_HEALTH_PACKAGE = 'grpc-health-check';

/** The methods the grpc.health.v1.Health definition must have. */
const HEALTH_METHODS = ['Check', 'Watch', 'List'] as const;

/** grpc-health-check's `grpc.health.v1.Health` service definition (paths and serializers per method). */
export type HealthServiceDefinition = Record<
  (typeof HEALTH_METHODS)[number],
  { path: string }
>;

/**
 * Loads grpc-health-check and returns its grpc.health.v1.Health service definition. Rejects with a message that
 * says what to install when the package is missing, or that it is too old when it has no definition.
 */
export async function loadHealthServiceDefinition(
  load: () => Promise<unknown> = () => import(GRPC_HEALTH_PACKAGE),
): Promise<HealthServiceDefinition> {
  let loaded: unknown;
  try {
    loaded = await load();
  } catch (error) {
    throw new Error(grpcHealthCheckMissing(describeThrown(error)), {
      cause: error,
    });
  }
  const exports = loaded as {
    service?: unknown;
    default?: { service?: unknown };
  } | null;
  const service = exports?.service ?? exports?.default?.service;
  if (!isHealthServiceDefinition(service)) {
    throw new Error(grpcHealthCheckUnusable);
  }
  return service;
}

function isHealthServiceDefinition(
  value: unknown,
): value is HealthServiceDefinition {
  if (typeof value !== 'object' || value === null) return false;
  return HEALTH_METHODS.every(
    (method) =>
      typeof (value as Record<string, { path?: unknown } | undefined>)[method]
        ?.path === 'string',
  );
}
