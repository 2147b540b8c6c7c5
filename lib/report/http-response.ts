import type { ServerResponse } from 'node:http';

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

/** A JSON error, `{ "status": "failure", "error": message }`, with the health routes' headers. */
export function errorResponse(
  status: number,
  message: string,
  extraHeaders: Record<string, string> = {},
): HttpResponse {
  return {
    status,
    headers: baseHeaders(extraHeaders),
    body: JSON.stringify({ status: 'failure', error: message }),
  };
}

/** Writes a prepared response on a raw Node.js response (the event stream's, which the platform let go of). */
export function writeRaw(
  response: ServerResponse,
  prepared: HttpResponse,
): void {
  const body = renderBody(prepared);
  response.writeHead(prepared.status, [
    ...prepared.headers.flat(),
    'Content-Length',
    String(Buffer.byteLength(body)),
  ]);
  response.end(body);
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
