/** Every text this module shows a user, as functions so that tests can reuse them. */

export const invalidOption = (
  option: string,
  expected: string,
  got: string,
): string =>
  `Invalid HealthcheckModule option "${option}": expected ${expected}, got ${got}.`;

export const unknownOption = (option: string, known: string[]): string =>
  `Unknown HealthcheckModule option "${option}". Known options: ${known.join(', ')}.`;

export const asyncRouteOptionMismatch = (option: string): string =>
  `HealthcheckModule.forRootAsync(): "${option}" decides which routes exist, so it must be given at the top level ` +
  `of forRootAsync({ ${option}, useFactory }), not only in the options the factory returns.`;

export const invalidCheckOption = (
  where: string,
  option: string,
  expected: string,
  got: string,
): string =>
  `Invalid option "${option}" of health check ${where}: expected ${expected}, got ${got}.`;

export const duplicateCheck = (
  name: string,
  first: string,
  second: string,
): string =>
  `Two health checks are named "${name}": ${first} and ${second}. ` +
  `Give one of them its own name, e.g. @HealthCheck({ name: '${name}_2' }).`;

export const duplicateSection = (
  name: string,
  first: string,
  second: string,
): string =>
  `Two sections are named "${name}": ${first} and ${second}. Give one of them its own name.`;

export const reservedSectionName = (
  name: string,
  where: string,
  reserved: readonly string[],
): string =>
  `The section name "${name}" at ${where} is taken by the report itself (${reserved.join(', ')}). ` +
  `Choose another name.`;

export const invalidSectionName = (where: string, got: string): string =>
  `Invalid section name at ${where}: expected a non-empty string, got ${got}.`;

export const notAFunction = (where: string, got: string): string =>
  `Invalid health check ${where}: expected a function, got ${got}.`;

export const nonStaticProvider = (
  className: string,
  methodName: string,
  decorator: string,
): string =>
  `@${decorator}() on ${className}.${methodName} is skipped: ${className} is transient or request-scoped, or ` +
  `depends on a request-scoped provider, so no single instance exists to call. Move the method to a ` +
  `singleton provider.`;

export const checkTimedOut = (timeoutMs: number): string =>
  `timed out after ${timeoutMs} ms`;

export const checkAborted = (reason: string): string => `aborted: ${reason}`;

export const applicationShuttingDown = 'the application is shutting down';

export const unexpectedCheckReturn = (described: string): string =>
  `check returned ${described}; expected [passed, output], { passed, output } or a boolean`;

export const observableCompletedEmpty = 'completed without emitting a value';

export const thrownNonError = (described: string): string =>
  `threw ${described}`;

export const checkStartedFailing = (name: string, output: string): string =>
  `Health check "${name}" is failing: ${output}`;

export const checkRecovered = (name: string): string =>
  `Health check "${name}" has recovered`;

export const handlerFailed = (handler: string, message: string): string =>
  `${handler} threw while building the health response: ${message}`;

export const unknownSelection = (
  kind: 'check' | 'tag',
  value: string,
): string =>
  kind === 'check'
    ? `No health check is named "${value}".`
    : `No health check is tagged "${value}".`;

export const checkPending =
  'pending: the background check has not finished its first run';

export const checkStale = (ageMs: number, maxStalenessMs: number): string =>
  `stale: the last result is ${ageMs} ms old, more than the allowed ${maxStalenessMs} ms`;

export const readinessShuttingDown = 'the application is shutting down';

export const statusListenerFailed = (message: string): string =>
  `onStatusChange threw: ${message}`;

export const oneCheckOnly =
  'Give ?check once: it selects one check. Use the group routes or ?exclude for more.';

export const healthEventListenerFailed = (message: string): string =>
  `A health event listener threw: ${message}`;
