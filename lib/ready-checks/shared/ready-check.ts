import type {
  HealthCheckContext,
  HealthCheckFunction,
  HealthCheckOptions,
} from '../../interfaces/check.interface.js';
import type {
  CommonCheckOptions,
  DependencyResolver,
  HealthCheckDefinition,
} from '../health-check.definition.js';
import { CHECK_OPTION_KEYS } from '../../options/check-options.resolver.js';
import { unknownCheckOption } from '../../healthcheck.messages.js';

/** The option keys every check takes; the rest of a ready-made check's options are its own. */
export const COMMON_CHECK_OPTION_KEYS: ReadonlyArray<keyof CommonCheckOptions> =
  CHECK_OPTION_KEYS.filter(
    (key): key is keyof CommonCheckOptions => key !== 'name',
  );

/** Builds one kind of ready-made check, e.g. `checks.redis`. */
export interface ReadyCheckBuilder<Own extends object> {
  (name: string, options: Own & CommonCheckOptions): HealthCheckDefinition;
}

/**
 * A builder for the `checks` namespace: it splits the usual check options from the check's own (`known`),
 * refuses any other key at once (usually a misspelt option), and at bootstrap hands the own options and the
 * dependency resolver to `create`, which returns the function run on every check. `kind` names the builder in
 * messages (`checks.<kind>('name')`).
 */
export function readyCheck<Own extends object>(
  kind: string,
  known: readonly (keyof Own & string)[],
  create: (
    own: Own,
    resolve: DependencyResolver,
  ) => (context: HealthCheckContext) => ReturnType<HealthCheckFunction>,
): ReadyCheckBuilder<Own> {
  const common = COMMON_CHECK_OPTION_KEYS as readonly string[];
  return (name, options) => {
    const source = `checks.${kind}('${String(name)}')`;
    const usual: Record<string, unknown> = {};
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(options ?? {})) {
      if (common.includes(key)) usual[key] = value;
      else if ((known as readonly string[]).includes(key)) own[key] = value;
      else throw new Error(unknownCheckOption(source, key, known));
    }
    return Object.freeze({
      name,
      source,
      options: usual as Omit<HealthCheckOptions, 'name'>,
      build: (resolve: DependencyResolver) => create(own as Own, resolve),
    });
  };
}
