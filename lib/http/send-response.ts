import type { HttpServer } from '@nestjs/common';
import { type HttpResponse, renderBody } from '../report/http-response.js';

/**
 * Copies a prepared response onto the platform's response object (Express or Fastify alike). Express's
 * `send` would add an ETag and answer 304 to a matching `If-None-Match`, which a health route must never do,
 * so on Express the body is written with the adapter's `end`.
 */
export function sendResponse(
  httpAdapter: HttpServer,
  platformResponse: unknown,
  response: HttpResponse,
): void {
  for (const [name, value] of response.headers) {
    httpAdapter.setHeader(platformResponse, name, value);
  }
  const body = renderBody(response);
  if (httpAdapter.getType?.() === 'express') {
    httpAdapter.status(platformResponse, response.status);
    httpAdapter.end(platformResponse, body);
  } else {
    httpAdapter.reply(platformResponse, body, response.status);
  }
}
