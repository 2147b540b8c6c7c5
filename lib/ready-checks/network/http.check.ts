import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  httpAnswered,
  httpBodyRejected,
  httpBodyPredicateThrew,
  httpFailed,
  httpWrongStatus,
} from '../../healthcheck.messages.js';
import {
  describeClientError,
  maskCredentials,
} from '../shared/describe-client-error.js';
import { describeNetworkError } from '../shared/network-error.describer.js';
import { isNonEmptyString } from '../shared/own-options.validator.js';
import { elapsedMs, roundMs } from '../shared/quantity.format.js';
import {
  runnableReadyCheck,
  type ReadyCheckOutcome,
  neverRejecting,
} from '../shared/runnable-ready-check.js';
import {
  withRunOptions,
  type ReadyCheckRunOptions,
} from '../shared/ready-check.outcome.js';
import {
  DEFAULT_EXPECTED_STATUS,
  describeExpectedStatus,
  isStatusExpectation,
  statusAccepted,
  type HttpStatusExpectation,
} from './http-status.expectation.js';

/** The most of a body `expectBody` is given. */
export const MAX_BODY_BYTES = 1024 * 1024;
const BODY_PREVIEW_CHARS = 120;

/** Options of `checks.http`. */
export interface HttpCheckOptions {
  /** An `http:` or `https:` URL. Redirects are not followed. */
  url: string | URL;
  /** Which statuses pass: a status, an inclusive `[min, max]` range or a predicate. Default `[200, 299]`. */
  expectStatus?: HttpStatusExpectation;
  /** Called with the body as text (its first MiB) once the status passed; the check fails unless it returns true. */
  expectBody?: (body: string) => boolean | Promise<boolean>;
  /** The request method. Default `GET`. */
  method?: string;
  /** Request headers. */
  headers?: Record<string, string>;
}

/** What `checks.http.run()` takes. */
export interface HttpRunOptions extends HttpCheckOptions {
  /** Aborts the request and closes its connection. */
  signal?: AbortSignal;
}

interface HttpAnswer {
  status: number;
  body?: string;
}

/**
 * The check's logic. It may reject on options it cannot use: `checkHttp` turns that into a failed outcome, as
 * `.run` promises.
 */
async function checkHttpUnguarded(
  options: HttpRunOptions,
  extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  const { signal, expectBody } = withRunOptions(options, extra);
  const method = (options.method ?? 'GET').toUpperCase();
  const expected = options.expectStatus ?? DEFAULT_EXPECTED_STATUS;
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (error) {
    return {
      passed: false,
      output: httpFailed(
        method,
        maskCredentials(String(options.url)),
        describeClientError(error),
      ),
    };
  }
  const shown = displayUrl(url);
  const started = performance.now();
  let answer: HttpAnswer;
  try {
    answer = await request(url, method, options.headers, signal, !!expectBody);
  } catch (error) {
    return {
      passed: false,
      output: httpFailed(method, shown, describeNetworkError(error, signal)),
    };
  }
  const ms = elapsedMs(started);
  const { status, body = '' } = answer;
  if (!statusAccepted(expected, status)) {
    return {
      passed: false,
      output: httpWrongStatus(
        method,
        shown,
        status,
        describeExpectedStatus(expected),
      ),
    };
  }
  if (expectBody) {
    let accepted: boolean;
    try {
      accepted = (await expectBody(body)) === true;
    } catch (error) {
      return {
        passed: false,
        output: httpBodyPredicateThrew(
          method,
          shown,
          status,
          describeClientError(error),
        ),
      };
    }
    if (!accepted) {
      return {
        passed: false,
        output: httpBodyRejected(
          method,
          shown,
          status,
          JSON.stringify(preview(body)),
        ),
      };
    }
  }
  return {
    passed: true,
    output: httpAnswered(method, shown, status, ms),
    observedValue: roundMs(ms),
    observedUnit: 'ms',
  };
}

/**
 * Sends one request on a connection of its own (no keep-alive pool), closed when the answer is read or the
 * signal aborts, and checks the status and, if asked, the body. The observed value is the latency in ms.
 */
export const checkHttp = neverRejecting('http', checkHttpUnguarded);

function request(
  url: URL,
  method: string,
  headers: Record<string, string> | undefined,
  signal: AbortSignal | undefined,
  readBody: boolean,
): Promise<HttpAnswer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  let req: ClientRequest | undefined;
  const answer = new Promise<HttpAnswer>((resolve, reject) => {
    // agent: false gives the request a connection of its own, sent with `Connection: close`.
    req = send(url, { method, headers, agent: false, signal }, (res) => {
      const status = res.statusCode ?? 0;
      if (!readBody) return resolve({ status });
      readText(res).then((body) => resolve({ status, body }), reject);
    });
    req.on('error', reject);
    req.end();
  });
  // Whatever happened, the connection is not needed any more.
  return answer.finally(() => req?.destroy());
}

function readText(res: IncomingMessage): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= MAX_BODY_BYTES) {
        resolve(
          Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8'),
        );
      }
    });
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The URL without credentials, query or fragment, which may hold secrets. */
function displayUrl(url: URL): string {
  const query = url.search ? '?…' : '';
  return `${url.protocol}//${url.host}${url.pathname}${query}`;
}

function preview(body: string): string {
  return body.length > BODY_PREVIEW_CHARS
    ? `${body.slice(0, BODY_PREVIEW_CHARS)}…`
    : body;
}

const isHttpUrl = (value: unknown): boolean => {
  if (!(typeof value === 'string' || value instanceof URL)) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};

const isHeaders = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((each) => typeof each === 'string');

/**
 * `checks.http(name, { url, expectStatus?, expectBody?, method?, headers? })`: one HTTP request per run on a
 * connection of its own.
 */
export const http = runnableReadyCheck<HttpCheckOptions, HttpRunOptions>({
  kind: 'http',
  known: ['url', 'expectStatus', 'expectBody', 'method', 'headers'],
  validate(options) {
    options.check(
      'url',
      "an http: or https: URL, e.g. 'http://127.0.0.1:8080/health'",
      isHttpUrl,
      true,
    );
    options.check(
      'expectStatus',
      'a status (e.g. 204), a range [min, max] of statuses between 100 and 599, or a function (status) => boolean',
      isStatusExpectation,
    );
    options.check(
      'expectBody',
      'a function (body: string) => boolean | Promise<boolean>',
      (value) => typeof value === 'function',
    );
    options.check(
      'method',
      "an HTTP method, e.g. 'GET' or 'HEAD'",
      (value) => isNonEmptyString(value) && /^[A-Za-z]+$/.test(value as string),
    );
    options.check('headers', 'an object whose values are strings', isHeaders);
  },
  run: checkHttp,
});
