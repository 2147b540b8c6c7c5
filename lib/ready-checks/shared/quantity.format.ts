const BYTE_UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** `512 bytes`, `1.5 GiB`: binary units, at most one decimal. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : trimDecimals(value, 1)} ${BYTE_UNITS[unit]}`;
}

/** A number with at most `digits` decimals and no trailing zeros: `12`, `12.5`. */
export function trimDecimals(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** Milliseconds since `started` (a `performance.now()` reading). */
export function elapsedMs(started: number): number {
  return performance.now() - started;
}

/** A duration for an observedValue: milliseconds rounded to two decimals. */
export function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** `0.4 ms`, `250 ms`, `12.5 s`: a duration in a sentence. */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${trimDecimals(ms / 1000, 1)} s`;
  return ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`;
}
