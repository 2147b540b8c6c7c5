import type { HttpServer } from '@nestjs/common';
import type { HttpResponse } from '../report/http-response.js';

/** Copies a prepared response onto the platform's response object (Express or Fastify alike); `reply` sets the status. */
export function sendResponse(
  httpAdapter: HttpServer,
  platformResponse: unknown,
  { status, headers, body }: HttpResponse,
): void {
  for (const [name, value] of headers) {
    httpAdapter.setHeader(platformResponse, name, value);
  }
  httpAdapter.reply(platformResponse, body, status);
}
