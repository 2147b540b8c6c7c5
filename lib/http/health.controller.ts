import {
  Controller,
  Get,
  Inject,
  Param,
  Query,
  Req,
  Res,
  type Type,
  UseGuards,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type {
  HealthcheckDecorators,
  HealthcheckGuards,
} from '../interfaces/module-options.interface.js';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import { noHealthRoute } from '../healthcheck.messages.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import type { HttpResponse } from '../report/http-response.js';
import { HealthEndpoints, type QueryValue } from './health-endpoints.js';
import { sendResponse } from './send-response.js';

/**
 * Builds the controller of the health routes at `path`: the full report, the three probes and the custom
 * groups. Routes are decided before DI runs, hence a class per call.
 */
export function createHealthController(
  path: string,
  guards: HealthcheckGuards,
  decorators: HealthcheckDecorators = [],
): Type<unknown> {
  const historyPath = path === '' ? '/history' : `/${path}/history`;
  @Controller({ path, version: VERSION_NEUTRAL })
  class HealthcheckController {
    constructor(
      readonly endpoints: HealthEndpoints,
      readonly adapterHost: HttpAdapterHost,
      @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
      readonly options: Pick<ResolvedHealthcheckOptions, 'history'>,
    ) {}

    @Get()
    async report(
      @Req() request: unknown,
      @Res() response: unknown,
      @Query('check') check?: QueryValue,
      @Query('exclude') exclude?: QueryValue,
    ): Promise<void> {
      this.send(response, await this.endpoints.report(check, exclude, request));
    }

    @Get('live')
    async live(@Req() request: unknown, @Res() response: unknown) {
      this.send(response, await this.endpoints.probe('liveness', request));
    }

    @Get('ready')
    async ready(@Req() request: unknown, @Res() response: unknown) {
      this.send(response, await this.endpoints.probe('readiness', request));
    }

    @Get('startup')
    async startup(@Req() request: unknown, @Res() response: unknown) {
      this.send(response, await this.endpoints.probe('startup', request));
    }

    @Get('group/:tag')
    async group(
      @Req() request: unknown,
      @Res() response: unknown,
      @Param('tag') tag: string,
    ): Promise<void> {
      this.send(response, await this.endpoints.group(tag, request));
    }

    /** Answers 404 when the option `history` is false (a factory of forRootAsync may turn it off). */
    @Get('history')
    history(@Req() request: unknown, @Res() response: unknown): void {
      this.send(
        response,
        this.options.history
          ? this.endpoints.history(request)
          : this.endpoints.error(404, noHealthRoute(historyPath)),
      );
    }

    private send(response: unknown, prepared: HttpResponse): void {
      sendResponse(this.adapterHost.httpAdapter, response, prepared);
    }
  }
  return decorate(HealthcheckController, guards, decorators);
}

/** Applies the guards and the user's decorators to a generated controller. */
export function decorate<T extends Type<unknown>>(
  controller: T,
  guards: HealthcheckGuards,
  decorators: HealthcheckDecorators,
): T {
  if (guards.length > 0) UseGuards(...guards)(controller);
  for (const decorator of decorators) {
    (decorator as ClassDecorator)(controller);
  }
  return controller;
}
