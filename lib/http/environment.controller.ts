import {
  Controller,
  Get,
  Res,
  type Type,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type {
  HealthcheckDecorators,
  HealthcheckGuards,
} from '../interfaces/module-options.interface.js';
import type { HttpResponse } from '../report/http-response.js';
import { decorate } from './health.controller.js';
import { HealthEndpoints } from './health-endpoints.js';
import { sendResponse } from './send-response.js';

/** Builds the controller of the environment dump at `path`. */
export function createEnvironmentController(
  path: string,
  guards: HealthcheckGuards,
  decorators: HealthcheckDecorators = [],
): Type<unknown> {
  @Controller({ path, version: VERSION_NEUTRAL })
  class EnvironmentController {
    constructor(
      readonly endpoints: HealthEndpoints,
      readonly adapterHost: HttpAdapterHost,
    ) {}

    @Get()
    async dump(@Res() response: unknown): Promise<void> {
      this.send(response, await this.endpoints.environment());
    }

    private send(response: unknown, prepared: HttpResponse): void {
      sendResponse(this.adapterHost.httpAdapter, response, prepared);
    }
  }
  return decorate(EnvironmentController, guards, decorators);
}
