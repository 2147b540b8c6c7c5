import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  HEALTHCHECK_RESOLVED_OPTIONS,
  LOGGER_CONTEXT,
} from '../healthcheck.constants.js';
import { handlerFailed } from '../healthcheck.messages.js';
import type { HealthReport } from '../interfaces/check.interface.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { describeThrown } from '../checks/describe-thrown.js';
import { formatReportBody, serializeBody } from './report-body.js';
import { baseHeaders, type HttpResponse } from './http-response.js';

/**
 * Turns a report into status, headers and body. Reports are immutable snapshots, so the response is built once
 * per report and reused for every request that gets the same report.
 */
@Injectable()
export class HealthResponseFactory {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private last?: { report: HealthReport; response: HttpResponse };

  constructor(
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {}

  create(report: HealthReport): HttpResponse {
    if (this.last?.report === report) return this.last.response;
    const response = this.build(report);
    this.last = { report, response };
    return response;
  }

  private build(report: HealthReport): HttpResponse {
    const passed = report.status === 'success';
    const { successStatus, failedStatus, successHeaders, failedHeaders } =
      this.options;
    const handlerName = passed ? 'successHandler' : 'failedHandler';
    const handler = this.options[handlerName];
    try {
      return {
        status: passed ? successStatus : failedStatus,
        headers: baseHeaders(passed ? successHeaders : failedHeaders),
        body: formatReportBody(report, handler),
      };
    } catch (error) {
      const message = handlerFailed(handlerName, describeThrown(error));
      this.logger.error(message);
      return {
        status: failedStatus,
        headers: baseHeaders(failedHeaders),
        body: serializeBody({ status: 'failure', error: message }),
      };
    }
  }
}
