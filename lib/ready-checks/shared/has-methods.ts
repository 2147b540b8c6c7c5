/** Whether `value` is an object with a function under each of `methods`: how a client is told by its shape. */
export function hasMethods(
  value: unknown,
  methods: readonly string[],
): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    methods.every(
      (method) =>
        typeof (value as Record<string, unknown>)[method] === 'function',
    )
  );
}
