/** A response ready to send: the HTTP layer only copies it onto the platform's response. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** The content type and `Cache-Control: no-store`, with the configured headers merged over them. */
export function baseHeaders(
  configured: Record<string, string> = {},
  contentType: string = JSON_CONTENT_TYPE,
): ReadonlyArray<readonly [string, string]> {
  const merged = new Map<string, readonly [string, string]>();
  const headers = {
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    ...configured,
  };
  for (const [name, value] of Object.entries(headers)) {
    merged.set(name.toLowerCase(), [name, value]);
  }
  return [...merged.values()];
}
