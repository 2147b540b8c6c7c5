import { Delete, Patch, Post, Put, Res, type Type } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import type { HealthEndpoints } from './health-endpoints.js';
import { sendResponse } from './send-response.js';

/** What a generated controller holds, which the 405 handlers use. */
interface HealthRoutesController {
  endpoints: HealthEndpoints;
  adapterHost: HttpAdapterHost;
}

const REFUSED_METHODS = [
  ['post', Post],
  ['put', Put],
  ['patch', Patch],
  ['delete', Delete],
] as const;

/** Handler names of the 405 answers, e.g. to keep them out of API docs. */
export const METHOD_NOT_ALLOWED_HANDLERS = REFUSED_METHODS.map(
  ([name]) => name,
);

/**
 * Adds handlers that answer 405 JSON (with `Allow: GET, HEAD`) to POST, PUT, PATCH and DELETE on `paths` of a
 * generated controller. GET and HEAD are the controller's own; OPTIONS stays free for CORS.
 */
export function refuseOtherMethods(
  controller: Type<unknown>,
  paths: string[],
): void {
  const prototype = controller.prototype as Record<string, unknown>;
  for (const [name, route] of REFUSED_METHODS) {
    const method = name.toUpperCase();
    function refuse(this: HealthRoutesController, response: unknown): void {
      sendResponse(
        this.adapterHost.httpAdapter,
        response,
        this.endpoints.methodNotAllowed(method),
      );
    }
    Object.defineProperty(prototype, name, {
      value: refuse,
      writable: true,
      configurable: true,
    });
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name)!;
    route(paths)(prototype, name, descriptor);
    Res()(prototype, name, 0);
  }
}
