import {
  checkOptionsNotObject,
  invalidCheckOption,
  missingCheckThreshold,
} from '../../healthcheck.messages.js';
import { describeValue } from '../../serialization/describe-value.js';
import { maskCredentials } from './describe-client-error.js';

/**
 * The options given to a ready-made check's builder, checked when the builder is called: every error names the
 * check (`checks.<kind>('<name>')`), the option, what was expected and what was given.
 */
export class OwnOptions {
  /** The check as the user wrote it, e.g. `checks.http('api')`. */
  readonly where: string;
  private readonly values: Record<string, unknown>;

  constructor(kind: string, name: unknown, options: unknown) {
    this.where = `checks.${kind}('${String(name)}')`;
    if (typeof name !== 'string' || name.trim() === '') {
      throw new Error(
        invalidCheckOption(
          this.where,
          'name',
          'a non-empty string',
          describeValue(name),
        ),
      );
    }
    if (
      typeof options !== 'object' ||
      options === null ||
      Array.isArray(options)
    ) {
      throw new Error(
        checkOptionsNotObject(this.where, describeValue(options)),
      );
    }
    this.values = options as Record<string, unknown>;
  }

  /** Whether the option was given (a value other than undefined). */
  has(option: string): boolean {
    return this.values[option] !== undefined;
  }

  /** Throws unless the option passes `isValid`; an absent option passes unless `required`. */
  check(
    option: string,
    expected: string,
    isValid: (value: unknown) => boolean,
    required = false,
  ): void {
    const value = this.values[option];
    if (value === undefined ? required : !isValid(value)) {
      this.fail(option, expected);
    }
  }

  /** Throws the error for an option that is not what `expected` says. */
  fail(option: string, expected: string): never {
    throw new Error(
      invalidCheckOption(
        this.where,
        option,
        expected,
        // A URL refused for its shape may still carry a password.
        maskCredentials(describeValue(this.values[option])),
      ),
    );
  }

  /** Throws unless at least one of `options` was given. */
  requireOneOf(options: readonly string[]): void {
    if (!options.some((option) => this.has(option))) {
      throw new Error(missingCheckThreshold(this.where, options));
    }
  }
}

/** A finite number greater than 0 and at most `max`. */
export const isPositiveNumber =
  (max = Number.MAX_SAFE_INTEGER) =>
  (value: unknown): boolean =>
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value > 0 &&
    value <= max;

/** A string with at least one character that is not white space. */
export const isNonEmptyString = (value: unknown): boolean =>
  typeof value === 'string' && value.trim() !== '';

/** A host name or an IP address: a non-empty string without a scheme, a path, credentials or white space. */
export const isHost = (value: unknown): boolean =>
  isNonEmptyString(value) && !/[\s/@]/.test(value as string);

/** Whether `value` is a TCP port: an integer from 1 to 65535. */
export const isPort = (value: unknown): boolean =>
  typeof value === 'number' &&
  Number.isInteger(value) &&
  value >= 1 &&
  value <= 65_535;
