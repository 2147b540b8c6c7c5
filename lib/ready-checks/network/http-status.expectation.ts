/** Which HTTP statuses pass: one status, an inclusive `[min, max]` range, or a predicate. */
export type HttpStatusExpectation =
  number | readonly [min: number, max: number] | ((status: number) => boolean);

/** Any 2xx status, when `expectStatus` is not given. */
export const DEFAULT_EXPECTED_STATUS: HttpStatusExpectation = [200, 299];

/** Whether `status` is one `expected` accepts. */
export function statusAccepted(
  expected: HttpStatusExpectation,
  status: number,
): boolean {
  if (typeof expected === 'function') return expected(status) === true;
  if (typeof expected === 'number') return status === expected;
  return status >= expected[0] && status <= expected[1];
}

/** `200`, `200-299`, or `accepted by expectStatus` for a predicate. */
export function describeExpectedStatus(
  expected: HttpStatusExpectation,
): string {
  if (typeof expected === 'function')
    return 'a status accepted by expectStatus';
  if (typeof expected === 'number') return String(expected);
  return `${expected[0]}-${expected[1]}`;
}

const isStatus = (value: unknown): value is number =>
  typeof value === 'number' &&
  Number.isInteger(value) &&
  value >= 100 &&
  value <= 599;

/** Whether `value` is a valid `expectStatus`. */
export function isStatusExpectation(value: unknown): boolean {
  if (typeof value === 'function' || isStatus(value)) return true;
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    isStatus(value[0]) &&
    isStatus(value[1]) &&
    value[0] <= value[1]
  );
}
