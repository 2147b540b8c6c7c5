import { Inject, Injectable, Logger } from '@nestjs/common';
import { describeThrown } from '../checks/describe-thrown.js';
import {
  HEALTHCHECK_RESOLVED_OPTIONS,
  LOGGER_CONTEXT,
} from '../healthcheck.constants.js';
import { handlerFailed } from '../healthcheck.messages.js';
import type { HealthReport } from '../interfaces/check.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { IETF_CONTENT_TYPE } from './ietf-report.js';
import { formatReportBody, serializeBody } from './report-body.js';
import {
  baseHeaders,
  type HttpResponse,
  JSON_CONTENT_TYPE,
} from './http-response.js';

/**
 * Turns a report into status, headers and body. Reports are immutable snapshots, so each one is formatted
 * once and its response reused for every request that gets the same report.
 */
@Injectable()
export class HealthResponseFactory {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly responses = new WeakMap<HealthReport, HttpResponse>();

  constructor(
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {}

  create(report: HealthReport): HttpResponse {
    let response = this.responses.get(report);
    if (!response) {
      response = this.build(report);
      this.responses.set(report, response);
    }
    return response;
  }

  /** A JSON error such as the 404 for an unknown check, with the health routes' headers. */
  error(status: number, message: string): HttpResponse {
    return {
      status,
      headers: baseHeaders(),
      body: serializeBody({ error: message }),
    };
  }

  private build(report: HealthReport): HttpResponse {
    const passed = report.status === 'success';
    const { format, showDetails } = this.options;
    const handlerName = passed ? 'successHandler' : 'failedHandler';
    const handler = this.options[handlerName];
    const headers = passed
      ? this.options.successHeaders
      : this.options.failedHeaders;
    const contentType =
      format === 'ietf' ? IETF_CONTENT_TYPE : JSON_CONTENT_TYPE;
    try {
      return {
        status: passed ? this.options.successStatus : this.options.failedStatus,
        headers: baseHeaders(headers, contentType),
        body: formatReportBody(report, { format, showDetails, handler }),
      };
    } catch (error) {
      const message = handlerFailed(handlerName, describeThrown(error));
      this.logger.error(message);
      return this.error(this.options.failedStatus, message);
    }
  }
}
