/** Key under which @nestjs/config keeps the validated environment variables. */
const VALIDATED_ENV_KEY = '_PROCESS_ENV_VALIDATED';

/**
 * The `config` section from the object @nestjs/config loaded (its `load` namespaces and, when a schema or
 * `validate` is used, the validated variables).
 */
export function configFromNestConfig(loaded: unknown): Record<string, unknown> {
  if (typeof loaded !== 'object' || loaded === null) return {};
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(loaded)) {
    config[key === VALIDATED_ENV_KEY ? 'validatedEnv' : key] = value;
  }
  return config;
}
