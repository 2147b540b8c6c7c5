import { type HttpResponse } from '../../report/http-response.js';

/** A value the worker puts into an answer when it sends it. */
export type AnswerHole = 'now' | 'blockedMs';

/**
 * A response as the main thread hands it to the health server's worker: plain data (it crosses threads), the
 * body cut around the values only the worker knows when it answers (the time, how long the main thread has
 * been blocked). `segments` has one more entry than `holes`.
 */
export interface PublishedAnswer {
  status: number;
  headers: Array<[string, string]>;
  segments: string[];
  holes: AnswerHole[];
}

/**
 * Turns a prepared response into a published answer: the report's timestamp becomes the `now` hole, and each
 * `blockedMarker` in the body a `blockedMs` hole.
 */
export function publishAnswer(
  response: HttpResponse,
  blockedMarker?: string,
): PublishedAnswer {
  const segments: string[] = [];
  const holes: AnswerHole[] = [];
  const addText = (text: string) => {
    const parts = blockedMarker ? text.split(blockedMarker) : [text];
    parts.forEach((part, index) => {
      if (index > 0) holes.push('blockedMs');
      if (segments.length > holes.length) segments[segments.length - 1] += part;
      else segments.push(part);
    });
  };
  const { body } = response;
  if (typeof body === 'string') {
    addText(body);
  } else {
    addText(body.head);
    holes.push('now');
    addText(body.tail);
  }
  return {
    status: response.status,
    headers: response.headers.map(([name, value]) => [name, value]),
    segments,
    holes,
  };
}
