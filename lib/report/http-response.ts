/** A response ready to send: the HTTP layer only copies it onto the platform's response. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

const JSON_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
};

/** JSON content type and `Cache-Control: no-store`, with the configured headers merged over them. */
export function baseHeaders(
  configured: Record<string, string> = {},
): ReadonlyArray<readonly [string, string]> {
  const merged = new Map<string, readonly [string, string]>();
  for (const [name, value] of Object.entries({
    ...JSON_HEADERS,
    ...configured,
  })) {
    merged.set(name.toLowerCase(), [name, value]);
  }
  return [...merged.values()];
}
