import {
  Controller,
  Get,
  Res,
  type Type,
  UseGuards,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import type { HealthcheckGuards } from '../interfaces/module-options.interface.js';
import { HttpAdapterHost } from '@nestjs/core';
import { EnvironmentDumpService } from '../environment/environment-dump.service.js';
import { baseHeaders } from '../report/http-response.js';
import { serializeBody } from '../report/report-body.js';
import { sendResponse } from './send-response.js';

const HEADERS = baseHeaders();

/** Builds the controller of the environment dump at `path`. */
export function createEnvironmentController(
  path: string,
  guards: HealthcheckGuards,
): Type<unknown> {
  @Controller({ path, version: VERSION_NEUTRAL })
  class EnvironmentController {
    constructor(
      private readonly dumpService: EnvironmentDumpService,
      private readonly adapterHost: HttpAdapterHost,
    ) {}

    @Get()
    async dump(@Res() response: unknown): Promise<void> {
      const body = serializeBody(await this.dumpService.dump());
      sendResponse(this.adapterHost.httpAdapter, response, {
        status: 200,
        headers: HEADERS,
        body,
      });
    }
  }
  if (guards.length > 0) UseGuards(...guards)(EnvironmentController);
  return EnvironmentController;
}
