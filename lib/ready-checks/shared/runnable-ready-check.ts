import type { HealthCheckContext } from '../../interfaces/check.interface.js';
import type { CommonCheckOptions } from '../health-check.definition.js';
import {
  invalidCheckOption,
  readyCheckRunFailed,
} from '../../healthcheck.messages.js';
import { describeValue } from '../../serialization/describe-value.js';
import { describeClientError } from './describe-client-error.js';
import { isNonEmptyString, OwnOptions } from './own-options.validator.js';
import { readyCheck, type ReadyCheckBuilder } from './ready-check.js';
import type {
  ReadyCheckOutcome,
  ReadyCheckRunOptions,
} from './ready-check.outcome.js';

export type { ReadyCheckOutcome } from './ready-check.outcome.js';

/** A builder of the `checks` namespace that also carries the check's logic, to call inside your own checks. */
export type RunnableCheckBuilder<
  Own extends object,
  RunOptions,
> = ReadyCheckBuilder<Own> & {
  /**
   * Runs the check once, outside the module's runner, as every family's `.run` does: its options first, then
   * an optional `{ signal }` (a `signal` among the options is still read). Resolves with the outcome, never
   * rejects.
   */
  readonly run: (
    options: RunOptions,
    extra?: ReadyCheckRunOptions,
  ) => Promise<ReadyCheckOutcome>;
};

/** How one kind of client-less check is built. */
export interface RunnableCheckSpec<Own extends object, RunOptions> {
  /** Names the builder in messages: `checks.<kind>('<name>')`. */
  kind: string;
  /** Every own option the check takes; any other key that is not a usual check option is refused. */
  known: readonly (keyof Own & string)[];
  /** Throws (through `OwnOptions`) when an own option is missing or invalid; runs when the builder is called. */
  validate: (options: OwnOptions) => void;
  /** The check's logic, in the shape of every `.run`: options, then an optional `{ signal }`. */
  run: (
    options: RunOptions,
    extra?: ReadyCheckRunOptions,
  ) => Promise<ReadyCheckOutcome>;
  /** Turns the own options into the function run on every check; by default `run({ ...own, signal })`. */
  create?: (
    own: Own,
  ) => (context: HealthCheckContext) => Promise<ReadyCheckOutcome>;
}

/**
 * Makes a builder for a check that needs no client (runtime, network, gRPC): its own options are validated
 * when the builder is called, the usual ones are split off by `readyCheck`, and `run` is attached.
 */
export function runnableReadyCheck<Own extends object, RunOptions>(
  spec: RunnableCheckSpec<Own, RunOptions>,
): RunnableCheckBuilder<Own, RunOptions> {
  const create =
    spec.create ??
    ((own: Own) => (context: HealthCheckContext) =>
      spec.run({ ...own, signal: context.signal } as RunOptions));
  const build = readyCheck<Own>(spec.kind, spec.known, (own) => create(own));
  const builder = (name: string, options: Own & CommonCheckOptions) => {
    const given = new OwnOptions(spec.kind, name, options);
    const definition = build(name, options);
    spec.validate(given);
    return definition;
  };
  return Object.assign(builder, { run: spec.run });
}

/**
 * `run` as `.run` promises it: options it cannot use (a port that is not a number, a `ca` node cannot read)
 * make a failed outcome saying so, never a throw or a rejection.
 */
export function neverRejecting<Args extends unknown[]>(
  kind: string,
  run: (...args: Args) => Promise<ReadyCheckOutcome>,
): (...args: Args) => Promise<ReadyCheckOutcome> {
  const failed = (error: unknown): ReadyCheckOutcome => ({
    passed: false,
    output: readyCheckRunFailed(kind, describeClientError(error)),
  });
  return (...args) => {
    try {
      return run(...args).catch(failed);
    } catch (error) {
      return Promise.resolve(failed(error));
    }
  };
}

/**
 * Throws, for `neverRejecting` to turn into a failed outcome, when an option `.run` cannot do without is not a
 * non-empty string: node would otherwise fall back on a default (localhost, the text "undefined") and pass.
 */
export function requireRunOption(
  kind: string,
  option: string,
  expected: string,
  value: unknown,
): asserts value is string {
  if (!isNonEmptyString(value)) {
    throw new TypeError(
      invalidCheckOption(
        `checks.${kind}.run()`,
        option,
        expected,
        describeValue(value),
      ),
    );
  }
}
