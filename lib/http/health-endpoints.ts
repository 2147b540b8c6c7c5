import { Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { HealthMonitor } from '../checks/health.monitor.js';
import { UnknownSelectionError } from '../checks/unknown-selection.error.js';
import { EnvironmentDumpService } from '../environment/environment-dump.service.js';
import { HEALTHCHECK_RESOLVED_OPTIONS } from '../healthcheck.constants.js';
import { methodNotAllowed, oneCheckOnly } from '../healthcheck.messages.js';
import { HealthHistory } from '../history/health-history.service.js';
import { historyResponse } from '../history/history.response.js';
import type { ResolvedHealthcheckOptions } from '../interfaces/resolved-options.interface.js';
import { dashboardResponse } from '../ui/dashboard.response.js';
import { EVENT_STREAM_HEADERS, EventStreamHub } from '../ui/event-stream.js';
import type { HealthReport } from '../interfaces/check.interface.js';
import { ProbeService, type ProbeName } from '../probes/probe.service.js';
import { HealthResponseFactory } from '../report/health-response.factory.js';
import { baseHeaders, type HttpResponse } from '../report/http-response.js';
import { serializeBody } from '../report/report-body.js';

/** A query parameter as the platforms give it: absent, once, or repeated. */
export type QueryValue = string | string[] | undefined;

const ENVIRONMENT_HEADERS = baseHeaders();

/**
 * What each health route answers, independent of the transport: the controllers and the module's own health
 * server both send these responses, so they answer byte for byte alike.
 */
@Injectable()
export class HealthEndpoints {
  /** Every event-stream client, served from one subscription; made on the first one. */
  private streams?: EventStreamHub;

  constructor(
    private readonly monitor: HealthMonitor,
    private readonly probes: ProbeService,
    private readonly responses: HealthResponseFactory,
    private readonly environmentDump: EnvironmentDumpService,
    private readonly statusHistory: HealthHistory,
    @Inject(HEALTHCHECK_RESOLVED_OPTIONS)
    private readonly options: ResolvedHealthcheckOptions,
  ) {}

  /** The full report, or the one check of `?check=`, without the checks of `?exclude=`. */
  report(
    check: QueryValue,
    exclude: QueryValue,
    request: unknown,
  ): HttpResponse | Promise<HttpResponse> {
    if (Array.isArray(check)) return this.responses.error(400, oneCheckOnly);
    const excluded = exclude === undefined ? undefined : [exclude].flat();
    return this.answer(
      () => this.monitor.current({ check, exclude: excluded }),
      request,
    );
  }

  /** One of the Kubernetes probes. */
  probe(
    probe: ProbeName,
    request: unknown,
  ): HttpResponse | Promise<HttpResponse> {
    return this.answer(() => this.probes[probe](), request);
  }

  /** The checks tagged `tag`. */
  group(tag: string, request: unknown): HttpResponse | Promise<HttpResponse> {
    return this.answer(() => this.monitor.current({ tag }), request);
  }

  /** The scrubbed environment dump. */
  async environment(): Promise<HttpResponse> {
    return {
      status: 200,
      headers: ENVIRONMENT_HEADERS,
      body: serializeBody(await this.environmentDump.dump()),
    };
  }

  /** The status changes kept in the history, newest first. */
  history(request: unknown): HttpResponse {
    return historyResponse(
      this.statusHistory,
      this.responses.showsDetails(request),
    );
  }

  /** The dashboard page. */
  ui(): HttpResponse {
    return dashboardResponse();
  }

  /**
   * The dashboard's event stream, written to the raw Node.js response until the client or the app goes; a HEAD
   * request gets its headers only.
   */
  events(request: unknown, response: ServerResponse): void {
    if ((request as { method?: string }).method === 'HEAD') {
      response.writeHead(200, EVENT_STREAM_HEADERS);
      response.end();
      return;
    }
    this.streams ??= new EventStreamHub(
      {
        monitor: this.monitor,
        history: this.statusHistory,
        title: this.options.ui?.title ?? '',
      },
      { maxClients: this.options.ui?.maxClients },
    );
    this.streams.serve(response, this.responses.showsDetails(request));
  }

  /** The 405 for a method other than GET and HEAD. */
  methodNotAllowed(method: string): HttpResponse {
    return this.responses.error(405, methodNotAllowed(method), {
      Allow: 'GET, HEAD',
    });
  }

  /** A JSON error with the health routes' headers. */
  error(status: number, message: string): HttpResponse {
    return this.responses.error(status, message);
  }

  /** The response to a report; synchronous when the report is (a warm cache). */
  private answer(
    getReport: () => HealthReport | Promise<HealthReport>,
    request: unknown,
  ): HttpResponse | Promise<HttpResponse> {
    let report: HealthReport | Promise<HealthReport>;
    try {
      report = getReport();
    } catch (error) {
      return this.unknownSelection(error);
    }
    return report instanceof Promise
      ? report.then(
          (settled) => this.responses.create(settled, request),
          (error: unknown) => this.unknownSelection(error),
        )
      : this.responses.create(report, request);
  }

  /** The 404 for an unknown check or tag; anything else is rethrown. */
  private unknownSelection(error: unknown): HttpResponse {
    if (!(error instanceof UnknownSelectionError)) throw error;
    return this.responses.error(404, error.message);
  }
}
