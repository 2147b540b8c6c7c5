/**
 * A body whose `timestamp` is the time of each answer: the serialized report split around the timestamp's
 * value, so that an answer costs one concatenation instead of a serialization.
 */
export interface TimestampedBody {
  readonly head: string;
  readonly tail: string;
}

/** A response ready to send: the HTTP layer only copies it onto the platform's response. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body: string | TimestampedBody;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** The body of a response as sent at `nowMs`. */
export function renderBody(
  { body }: HttpResponse,
  nowMs: number = Date.now(),
): string {
  return typeof body === 'string' ? body : body.head + nowMs / 1000 + body.tail;
}

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
