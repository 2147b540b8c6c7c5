/** Milliseconds in a day. */
export const DAY_MS = 86_400_000;

/** Days a certificate must still be valid for, when `minValidDays` is not given. */
export const DEFAULT_MIN_VALID_DAYS = 14;

/** What the dates of a certificate say at a moment. */
export type DatesVerdict =
  | { state: 'valid'; daysLeft: number }
  | { state: 'expiring'; daysLeft: number }
  | { state: 'expired'; daysLeft: number }
  | { state: 'not-yet-valid'; daysLeft: number };

/**
 * Whole days from `now` until `validTo`, rounded down: 2.9 days left is 2, so a limit of 3 days already fails;
 * negative once it has expired (-1 on its first day past expiry).
 */
export function daysLeft(validTo: Date, now: number): number {
  return Math.floor((validTo.getTime() - now) / DAY_MS);
}

/** Judges the validity period of a certificate at `now` against the days it must still be valid for. */
export function judgeDates(
  validFrom: Date,
  validTo: Date,
  now: number,
  minValidDays: number,
): DatesVerdict {
  const left = daysLeft(validTo, now);
  if (now < validFrom.getTime())
    return { state: 'not-yet-valid', daysLeft: left };
  if (now > validTo.getTime()) return { state: 'expired', daysLeft: left };
  if (left < minValidDays) return { state: 'expiring', daysLeft: left };
  return { state: 'valid', daysLeft: left };
}

/** `2027-03-01`: the UTC day of a date. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * A date of a certificate as Node gives it (`Mar  1 12:00:00 2027 GMT`, OpenSSL's form), or undefined when it
 * cannot be read.
 */
export function parseCertificateDate(text: unknown): Date | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `1 day`, `3 days`. */
export function formatDays(days: number): string {
  return `${days} ${Math.abs(days) === 1 ? 'day' : 'days'}`;
}
