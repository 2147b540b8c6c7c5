import {
  Controller,
  Get,
  Res,
  type Type,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthCheckRunner } from '../checks/health-check.runner.js';
import { HealthResponseFactory } from '../report/health-response.factory.js';
import { sendResponse } from './send-response.js';

/** Builds the controller of the health report at `path`; routes are decided before DI, hence a class per call. */
export function createHealthController(path: string): Type<unknown> {
  @Controller({ path, version: VERSION_NEUTRAL })
  class HealthcheckController {
    constructor(
      private readonly runner: HealthCheckRunner,
      private readonly responses: HealthResponseFactory,
      private readonly adapterHost: HttpAdapterHost,
    ) {}

    @Get()
    async report(@Res() response: unknown): Promise<void> {
      const report = await this.runner.run();
      sendResponse(
        this.adapterHost.httpAdapter,
        response,
        this.responses.create(report),
      );
    }
  }
  return HealthcheckController;
}
