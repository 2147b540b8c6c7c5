import { describeThrown } from '../../checks/describe-thrown.js';
import { otelNeedsApi } from '../../healthcheck.messages.js';
import type { OtelMeter } from './otel-instruments.js';
import type { OtelLogger } from './otel-log-records.js';

/** Variables, so that neither TypeScript nor a bundler treats the optional peers as dependencies. */
const OTEL_API_PACKAGE = '@opentelemetry/api';
const OTEL_LOGS_PACKAGE = '@opentelemetry/api-logs';

/** What this module uses of `@opentelemetry/api`. */
export interface OtelApi {
  metrics: { getMeter(name: string, version?: string): OtelMeter };
}

/** What this module uses of `@opentelemetry/api-logs`. */
export interface OtelLogsApi {
  logs: { getLogger(name: string, version?: string): OtelLogger };
}

/** Loads `@opentelemetry/api` on demand; throws a message naming the option and the package when it cannot. */
export async function loadOtelApi(
  load: () => Promise<unknown> = () => import(OTEL_API_PACKAGE),
): Promise<OtelApi> {
  let loaded: { default?: OtelApi } & Partial<OtelApi>;
  try {
    loaded = (await load()) as typeof loaded;
  } catch (error) {
    throw new Error(otelNeedsApi(describeThrown(error)), { cause: error });
  }
  return loaded.metrics ? (loaded as OtelApi) : loaded.default!;
}

/**
 * Loads `@opentelemetry/api-logs` on demand; undefined when it is not installed (the log records are optional:
 * the metrics work without them).
 */
export async function loadOtelLogsApi(
  load: () => Promise<unknown> = () => import(OTEL_LOGS_PACKAGE),
): Promise<OtelLogsApi | undefined> {
  let loaded: { default?: OtelLogsApi } & Partial<OtelLogsApi>;
  try {
    loaded = (await load()) as typeof loaded;
  } catch {
    return undefined;
  }
  return loaded.logs ? (loaded as OtelLogsApi) : loaded.default;
}
