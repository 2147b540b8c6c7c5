import { unknownOption } from '../healthcheck.messages.js';
import { describeValue } from '../serialization/describe-value.js';
import type { OptionErrorReporter } from './option-validators.js';

/** Reads one option: validates and converts its value, or gives its default when absent. */
export type OptionSpec<T, Context = void> = (
  value: unknown,
  option: string,
  report: OptionErrorReporter,
  context: Context,
) => T;

/** The values an options table reads, one per spec. */
export type ReadOptions<Specs> = {
  [K in keyof Specs]: Specs[K] extends OptionSpec<infer T, never> ? T : never;
};

/** Where an options object is read: its owner and option prefix for messages, and how to report a bad one. */
export interface OptionsSource<Context> {
  /** Names the owner in the unknown-option message, e.g. `HealthcheckModule`. */
  owner: string;
  /** Prefix of the option names in messages, e.g. `environment.`. */
  prefix: string;
  report: OptionErrorReporter;
  context: Context;
  /** What the whole value should be, when it is not an object. */
  expected?: string;
}

/**
 * Reads an options object through a table with one spec per known option: every known option is read (absent
 * ones get their default), and any other key is refused as a likely typo.
 */
export function readOptions<
  Context,
  Specs extends Record<string, OptionSpec<unknown, Context>>,
>(
  value: unknown,
  specs: Specs,
  { owner, prefix, report, context, expected }: OptionsSource<Context>,
): ReadOptions<Specs> {
  const raw = asOptionsObject(value, prefix, report, expected);
  const known = Object.keys(specs);
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      throw new Error(
        unknownOption(
          owner,
          prefix + key,
          known.map((name) => prefix + name),
        ),
      );
    }
  }
  const read: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(specs)) {
    read[key] = spec(raw[key], prefix + key, report, context);
  }
  return read as ReadOptions<Specs>;
}

function asOptionsObject(
  value: unknown,
  prefix: string,
  report: OptionErrorReporter,
  expected = 'an object of options',
): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    return report(
      prefix.replace(/\.$/, '') || 'options',
      expected,
      describeValue(value),
    );
  }
  return value as Record<string, unknown>;
}

/** The spec of an option that holds options of its own, read through `specs`; `prefix` names them in messages. */
export function nestedOptions<
  Specs extends Record<string, OptionSpec<unknown, unknown>>,
>(
  owner: string,
  prefix: string,
  specs: Specs,
  expected?: string,
): OptionSpec<ReadOptions<Specs>, unknown> {
  return (value, _option, report) =>
    readOptions(value, specs, {
      owner,
      prefix,
      report,
      context: undefined,
      expected,
    });
}

/**
 * The spec of a feature switched on by its option: absent, `null` or `false` is off (`null`), `true` is on with
 * every default, an object is on with its own options.
 */
export function switchedOptions<
  Specs extends Record<string, OptionSpec<unknown, unknown>>,
>(
  owner: string,
  prefix: string,
  specs: Specs,
  expected: string,
): OptionSpec<ReadOptions<Specs> | null, unknown> {
  const read = nestedOptions(owner, prefix, specs, expected);
  return (value, option, report, context) =>
    value === undefined || value === null || value === false
      ? null
      : read(value === true ? {} : value, option, report, context);
}
