import {
  Controller,
  Get,
  Req,
  Res,
  type Type,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import type {
  HealthcheckDecorators,
  HealthcheckGuards,
} from '../interfaces/module-options.interface.js';
import type { HttpResponse } from '../report/http-response.js';
import { decorate } from './health.controller.js';
import { HealthEndpoints } from './health-endpoints.js';
import { sendResponse } from './send-response.js';

/** Fastify's reply wraps the Node.js response; Express's response is one. */
interface PlatformResponse {
  raw?: ServerResponse;
  hijack?: () => void;
}

/** Builds the controller of the dashboard at `<path>/ui` and its event stream at `<path>/events`. */
export function createDashboardController(
  path: string,
  guards: HealthcheckGuards,
  decorators: HealthcheckDecorators = [],
): Type<unknown> {
  @Controller({ path, version: VERSION_NEUTRAL })
  class DashboardController {
    constructor(
      readonly endpoints: HealthEndpoints,
      readonly adapterHost: HttpAdapterHost,
    ) {}

    @Get('ui')
    ui(@Res() response: unknown): void {
      this.send(response, this.endpoints.ui());
    }

    @Get('events')
    events(@Req() request: unknown, @Res() response: unknown): void {
      const platform = response as PlatformResponse;
      platform.hijack?.();
      this.endpoints.events(
        request,
        platform.raw ?? (response as ServerResponse),
      );
    }

    private send(response: unknown, prepared: HttpResponse): void {
      sendResponse(this.adapterHost.httpAdapter, response, prepared);
    }
  }
  return decorate(DashboardController, guards, decorators);
}
