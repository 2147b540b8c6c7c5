import { Inject, Injectable, Logger } from '@nestjs/common';
import { describeThrown } from '../checks/describe-thrown.js';
import {
  HEALTHCHECK_RESOLVED_OPTIONS,
  LOGGER_CONTEXT,
} from '../healthcheck.constants.js';
import { handlerFailed, handlerFailedPublic } from '../healthcheck.messages.js';
import { createOutputScrubber } from '../environment/output-scrub.js';
import type { HealthReport } from '../interfaces/check.interface.js';
import { toHealthRequest } from '../access/health-request.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { IETF_CONTENT_TYPE } from './ietf-report.js';
import { formatReportBody } from './report-body.js';
import {
  baseHeaders,
  errorResponse,
  type HttpResponse,
  JSON_CONTENT_TYPE,
} from './http-response.js';

/** A report's two possible responses, each built on first use. */
interface ReportResponses {
  details?: HttpResponse;
  hidden?: HttpResponse;
}

/**
 * Turns a report into status, headers and body. Reports are immutable snapshots, so each one is formatted
 * once per audience (with or without details) and its response reused for every request that gets it.
 */
@Injectable()
export class HealthResponseFactory {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly responses = new WeakMap<HealthReport, ReportResponses>();

  /** Masks secrets in the text of a handler's error before it is logged. */
  private readonly scrub: (text: unknown) => unknown;

  constructor(
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {
    this.scrub = createOutputScrubber(options.environment?.scrub);
  }

  /** The response to `request` (the platform's request object, for a `showDetails` function). */
  create(report: HealthReport, request?: unknown): HttpResponse {
    return this.createFor(report, this.showsDetails(request));
  }

  /** The response to an audience that may (`details`) or may not see check outputs. */
  createFor(report: HealthReport, details: boolean): HttpResponse {
    let cached = this.responses.get(report);
    if (!cached) {
      cached = {};
      this.responses.set(report, cached);
    }
    return details
      ? (cached.details ??= this.build(report, true))
      : (cached.hidden ??= this.build(report, false));
  }

  /**
   * Whether `request` (the platform's request) may see check outputs; a `showDetails` function gets it as a
   * HealthRequest, built only for a function. A function that throws means no.
   */
  showsDetails(request: unknown): boolean {
    const { showDetails } = this.options;
    if (typeof showDetails === 'boolean') return showDetails;
    try {
      return showDetails(toHealthRequest(request)) === true;
    } catch {
      return false;
    }
  }

  /** A JSON error such as the 404 for an unknown check, with the health routes' headers. */
  error(
    status: number,
    message: string,
    extraHeaders: Record<string, string> = {},
  ): HttpResponse {
    return errorResponse(status, message, extraHeaders);
  }

  private build(report: HealthReport, showDetails: boolean): HttpResponse {
    const passed = report.status === 'success';
    const { format } = this.options;
    const handlerName = passed ? 'successHandler' : 'failedHandler';
    const handler = this.options[handlerName];
    const headers = passed
      ? this.options.successHeaders
      : this.options.failedHeaders;
    const contentType =
      format === 'ietf' && !handler ? IETF_CONTENT_TYPE : JSON_CONTENT_TYPE;
    try {
      return {
        status: passed ? this.options.successStatus : this.options.failedStatus,
        headers: baseHeaders(headers, contentType),
        body: formatReportBody(report, { format, showDetails, handler }),
      };
    } catch (error) {
      this.logger.error(
        handlerFailed(handlerName, String(this.scrub(describeThrown(error)))),
      );
      return this.error(
        this.options.failedStatus,
        handlerFailedPublic(handlerName),
      );
    }
  }
}
