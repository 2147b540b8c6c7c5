import type {
  HealthCheckFunction,
  HealthCheckOptions,
} from '../interfaces/check.interface.js';

/** The usual options of a check (tags, critical, timeout, TTLs, interval, …), without its name. */
export type CommonCheckOptions = Omit<HealthCheckOptions, 'name'>;

/**
 * Turns an option that holds either an instance or a DI token into the instance, at bootstrap. `isInstance`
 * tells a ready client from a token (a string, a symbol or a class). Throws a message naming the check, the
 * option and the token when no provider is found, or when what was found is not a client of the right kind.
 */
export type DependencyResolver = <T>(
  option: string,
  dependency: unknown,
  isInstance: (value: unknown) => value is T,
  expected: string,
) => T;

/** A ready-made check, built by the `checks` namespace and registered with the module option `checks: [...]`. */
export interface HealthCheckDefinition {
  /** The check's name in the report. */
  readonly name: string;
  /** Where it was declared, for messages, e.g. `checks.redis('cache')`. */
  readonly source: string;
  /** The usual check options, validated when the module registers the check. */
  readonly options: CommonCheckOptions;
  /** Resolves the check's dependencies once, at bootstrap, and returns the function that runs it. */
  readonly build: (resolve: DependencyResolver) => HealthCheckFunction;
}
