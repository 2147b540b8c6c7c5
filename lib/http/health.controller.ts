import {
  Controller,
  Get,
  Param,
  Query,
  Res,
  type Type,
  UseGuards,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthCheckRunner } from '../checks/health-check.runner.js';
import { UnknownSelectionError } from '../checks/unknown-selection.error.js';
import { oneCheckOnly } from '../healthcheck.messages.js';
import type { HealthReport } from '../interfaces/check.interface.js';
import type { HealthcheckGuards } from '../interfaces/module-options.interface.js';
import { ProbeService } from '../probes/probe.service.js';
import { HealthResponseFactory } from '../report/health-response.factory.js';
import { sendResponse } from './send-response.js';

/**
 * Builds the controller of the health routes at `path`: the full report, the three probes and the custom
 * groups. Routes are decided before DI runs, hence a class per call.
 */
export function createHealthController(
  path: string,
  guards: HealthcheckGuards,
): Type<unknown> {
  @Controller({ path, version: VERSION_NEUTRAL })
  class HealthcheckController {
    constructor(
      private readonly runner: HealthCheckRunner,
      private readonly probes: ProbeService,
      private readonly responses: HealthResponseFactory,
      private readonly adapterHost: HttpAdapterHost,
    ) {}

    @Get()
    async report(
      @Res() response: unknown,
      @Query('check') check?: string | string[],
      @Query('exclude') exclude?: string | string[],
    ): Promise<void> {
      if (Array.isArray(check)) {
        return this.send(response, this.responses.error(400, oneCheckOnly));
      }
      const excluded = exclude === undefined ? undefined : [exclude].flat();
      await this.respond(response, () =>
        this.runner.run({ check, exclude: excluded }),
      );
    }

    @Get('live')
    live(@Res() response: unknown): Promise<void> {
      return this.respond(response, () => this.probes.liveness());
    }

    @Get('ready')
    ready(@Res() response: unknown): Promise<void> {
      return this.respond(response, () => this.probes.readiness());
    }

    @Get('startup')
    startup(@Res() response: unknown): Promise<void> {
      return this.respond(response, () => this.probes.startup());
    }

    @Get('group/:tag')
    group(@Res() response: unknown, @Param('tag') tag: string): Promise<void> {
      return this.respond(response, () => this.runner.run({ tag }));
    }

    private async respond(
      response: unknown,
      getReport: () => Promise<HealthReport>,
    ): Promise<void> {
      try {
        this.send(response, this.responses.create(await getReport()));
      } catch (error) {
        if (!(error instanceof UnknownSelectionError)) throw error;
        this.send(response, this.responses.error(404, error.message));
      }
    }

    private send(
      response: unknown,
      prepared: ReturnType<HealthResponseFactory['create']>,
    ): void {
      sendResponse(this.adapterHost.httpAdapter, response, prepared);
    }
  }
  if (guards.length > 0) UseGuards(...guards)(HealthcheckController);
  return HealthcheckController;
}
