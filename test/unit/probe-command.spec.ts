import {
  DEFAULT_TIMEOUT_MS,
  failedCheckNames,
  warningCheckNames,
  MAX_BODY_BYTES,
  MAX_TIMEOUT_MS,
  parseProbeArguments,
  runProbeCommand,
  summarizeAnswer,
  summarizeFailure,
  summarizeTimeout,
  USAGE,
} from '../../bin/probe-command.mjs';
import type { HealthCheckResult } from '../../lib/interfaces/check.interface.js';
import { assembleReport } from '../../lib/report/health-report.js';
import {
  IETF_CONTENT_TYPE,
  toIetfReport,
} from '../../lib/report/ietf-report.js';
import {
  JSON_CONTENT_TYPE,
  renderBody,
} from '../../lib/report/http-response.js';
import { formatReportBody } from '../../lib/report/report-body.js';

const SECRET_OUTPUT = 'connect failed: postgres://app:hunter2@db:5432';

function result(
  checker: string,
  passed: boolean,
  extra: Partial<HealthCheckResult> = {},
): HealthCheckResult {
  return {
    checker,
    passed,
    output: passed ? 'ok' : SECRET_OUTPUT,
    timestamp: 1_800_000_000,
    expires: 1_800_000_010,
    response_time: 0.01,
    ...extra,
  };
}

/** The JSON body the module serves for these results, through its own formatters. */
function jsonBody(results: HealthCheckResult[]): string {
  const report = assembleReport('host', results, 1_800_000_000_000);
  return renderBody({
    status: 200,
    headers: [],
    body: formatReportBody(report, { format: 'json', showDetails: true }),
  });
}

function ietfBody(results: HealthCheckResult[]): string {
  const report = assembleReport('host', results, 1_800_000_000_000);
  return JSON.stringify(toIetfReport(report, true));
}

describe('parseProbeArguments', () => {
  it('takes a URL and defaults the timeout to 2,000 ms', () => {
    const parsed = parseProbeArguments(['http://127.0.0.1:3000/health']);
    expect(parsed.url?.href).toBe('http://127.0.0.1:3000/health');
    expect(parsed.timeoutMs).toBe(DEFAULT_TIMEOUT_MS);
    expect(DEFAULT_TIMEOUT_MS).toBe(2_000);
  });

  it('takes --timeout MS and --timeout=MS, before or after the URL', () => {
    expect(
      parseProbeArguments(['--timeout', '300', 'https://example.test/h'])
        .timeoutMs,
    ).toBe(300);
    expect(
      parseProbeArguments(['https://example.test/h', '--timeout=450'])
        .timeoutMs,
    ).toBe(450);
    expect(
      parseProbeArguments(['http://x/', '--timeout', String(MAX_TIMEOUT_MS)])
        .timeoutMs,
    ).toBe(MAX_TIMEOUT_MS);
  });

  it.each([
    [[], 'a URL is needed'],
    [['http://a/', 'http://b/'], 'give one URL'],
    [['http://a/', '--verbose'], 'unknown option --verbose'],
    [['not a url'], 'not a URL: not a url'],
    [['ftp://host/file'], 'only http: and https: URLs, not ftp:'],
    [['http://a/', '--timeout'], '--timeout needs a value'],
    [['http://a/', '--timeout', '1', '--timeout=2'], '--timeout given twice'],
  ])('refuses %j: %s', (args, error) => {
    expect(parseProbeArguments(args).error).toBe(error);
  });

  it.each(['0', '-5', 'abc', '1.5', '', '1e3', String(MAX_TIMEOUT_MS + 1)])(
    'refuses --timeout %j',
    (value) => {
      expect(parseProbeArguments(['http://a/', '--timeout', value]).error).toBe(
        `--timeout takes milliseconds from 1 to ${MAX_TIMEOUT_MS}, not ${value}`,
      );
    },
  );

  it('answers help for -h and --help', () => {
    expect(parseProbeArguments(['-h']).help).toBe(true);
    expect(parseProbeArguments(['http://a/', '--help']).help).toBe(true);
  });

  it('never shows the credentials or the query of a URL it cannot read', () => {
    const error = parseProbeArguments([
      'http://user:s3cret@127.0.0.1:99999/health?token=abc#frag',
    ]).error;
    expect(error).toBe('not a URL: …@127.0.0.1:99999/health?…');
    expect(error).not.toMatch(/s3cret|token|abc|frag/);
  });

  it.each(['http://us%E0er:pw@127.0.0.1:1/', 'http://user:p%E0w@127.0.0.1:1/'])(
    'refuses a user name or password that is not valid percent-encoding (%s)',
    (target) => {
      expect(parseProbeArguments([target]).error).toBe(
        'the user name or password in the URL is not valid percent-encoding',
      );
    },
  );

  it('names an unknown option without the value given with it', () => {
    expect(
      parseProbeArguments([
        'http://a/',
        '--header=Authorization: Bearer s3cret',
      ]).error,
    ).toBe('unknown option --header');
  });

  it('shows a control character in an argument as ?, on one line', () => {
    expect(parseProbeArguments(['http://a/', '--x\nY']).error).toBe(
      'unknown option --x?Y',
    );
  });
});

describe('runProbeCommand without a usable command line', () => {
  it('answers exit 2 with the reason and the usage on stderr', async () => {
    const outcome = await runProbeCommand(['http://a/', '--timeout', 'soon']);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stream).toBe('stderr');
    expect(outcome.line).toContain('--timeout takes milliseconds');
    expect(outcome.line).toContain(USAGE);
  });

  it('answers exit 0 with the usage on stdout for --help', async () => {
    expect(await runProbeCommand(['--help'])).toEqual({
      exitCode: 0,
      line: USAGE,
      stream: 'stdout',
    });
  });
});

describe('failedCheckNames', () => {
  it("reads the failed checks of the module's JSON report", () => {
    const body = jsonBody([
      result('database', false),
      result('cache', true),
      result('queue', false, { critical: false }),
    ]);
    expect(failedCheckNames(JSON_CONTENT_TYPE, body)).toEqual([
      'database',
      'queue',
    ]);
  });

  it('answers an empty list for a report where every check passed', () => {
    expect(
      failedCheckNames(JSON_CONTENT_TYPE, jsonBody([result('cache', true)])),
    ).toEqual([]);
  });

  it('reads the IETF format: fail counts as failed; warn (non-critical or degraded) is told apart', () => {
    const body = ietfBody([
      result('database', false),
      result('cache', true),
      result('queue', false, { critical: false }),
      result('search', true, { degraded: true }),
    ]);
    expect(failedCheckNames(IETF_CONTENT_TYPE, body)).toEqual(['database']);
    expect(warningCheckNames(IETF_CONTENT_TYPE, body)).toEqual([
      'queue',
      'search',
    ]);
    expect(
      summarizeAnswer({
        status: 500,
        contentType: IETF_CONTENT_TYPE,
        body,
        truncated: false,
      }),
    ).toBe(
      'unhealthy: HTTP 500, failed checks: database, checks with warnings: queue, search',
    );
  });

  it('reads an IETF body from another service, with the aliases of fail', () => {
    const body = JSON.stringify({
      status: 'fail',
      checks: {
        'db:responseTime': [{ status: 'pass' }, { status: 'down' }],
        uptime: [{ status: 'up' }],
      },
    });
    expect(failedCheckNames('application/health+json', body)).toEqual([
      'db:responseTime',
    ]);
  });

  it.each([
    ['text/plain', jsonBody([result('database', false)])],
    [undefined, jsonBody([result('database', false)])],
    [JSON_CONTENT_TYPE, '{"results": ['],
    [JSON_CONTENT_TYPE, '[1, 2]'],
    [JSON_CONTENT_TYPE, '"success"'],
    [JSON_CONTENT_TYPE, '{"status":"failure","error":"no health route"}'],
    [JSON_CONTENT_TYPE, '{"results":[{"checker":"a","passed":"no"}]}'],
  ])(
    'answers undefined for a body that is not a report (%s, %s)',
    (type, body) => {
      expect(failedCheckNames(type, body)).toBeUndefined();
    },
  );
});

describe('summarizeAnswer', () => {
  it('says healthy and the status for a 2xx answer', () => {
    expect(
      summarizeAnswer({
        status: 200,
        contentType: JSON_CONTENT_TYPE,
        body: jsonBody([result('cache', true)]),
        truncated: false,
      }),
    ).toBe('healthy: HTTP 200');
  });

  it('names the failed checks of a failing report, never their outputs', () => {
    const line = summarizeAnswer({
      status: 503,
      contentType: JSON_CONTENT_TYPE,
      body: jsonBody([result('database', false), result('cache', true)]),
      truncated: false,
    });
    expect(line).toBe('unhealthy: HTTP 503, failed checks: database');
    expect(line).not.toContain('hunter2');
  });

  it('names the failed non-critical checks of a degraded 2xx report', () => {
    expect(
      summarizeAnswer({
        status: 200,
        contentType: JSON_CONTENT_TYPE,
        body: jsonBody([result('cache', false, { critical: false })]),
        truncated: false,
      }),
    ).toBe('healthy: HTTP 200, degraded, failed non-critical checks: cache');
  });

  it('names the checks that passed but said they are degraded', () => {
    expect(
      summarizeAnswer({
        status: 200,
        contentType: JSON_CONTENT_TYPE,
        body: jsonBody([
          result('search', true, { degraded: true }),
          result('cache', false, { critical: false }),
          result('database', true),
        ]),
        truncated: false,
      }),
    ).toBe(
      'healthy: HTTP 200, degraded, failed non-critical checks: cache, degraded checks: search',
    );
    expect(
      summarizeAnswer({
        status: 200,
        contentType: JSON_CONTENT_TYPE,
        body: jsonBody([result('search', true, { degraded: true })]),
        truncated: false,
      }),
    ).toBe('healthy: HTTP 200, degraded, degraded checks: search');
  });

  it('shows only the status of an answer that is not a report', () => {
    expect(
      summarizeAnswer({
        status: 500,
        contentType: 'text/plain',
        body: 'stack trace with a password',
        truncated: false,
      }),
    ).toBe('unhealthy: HTTP 500');
  });

  it('says a redirect is not followed', () => {
    expect(
      summarizeAnswer({
        status: 301,
        contentType: undefined,
        body: '',
        truncated: false,
      }),
    ).toBe('unhealthy: HTTP 301 (redirects are not followed)');
  });

  it('says a body over the cap was left unread', () => {
    expect(
      summarizeAnswer({
        status: 503,
        contentType: JSON_CONTENT_TYPE,
        body: '',
        truncated: true,
      }),
    ).toBe(
      `unhealthy: HTTP 503, body over ${MAX_BODY_BYTES} bytes left unread`,
    );
  });

  it('lists ten names at most, each on one line and cut to 80 characters', () => {
    const names = Array.from({ length: 12 }, (_, index) => `check_${index}`);
    names[0] = `bad\nname${'x'.repeat(100)}`;
    const line = summarizeAnswer({
      status: 503,
      contentType: JSON_CONTENT_TYPE,
      body: jsonBody(names.map((name) => result(name, false))),
      truncated: false,
    });
    expect(line).not.toContain('\n');
    expect(line).toContain(`bad?name${'x'.repeat(72)}…, check_1,`);
    expect(line).toContain('check_9 and 2 more');
    expect(line).not.toContain('check_10');
  });
  it('keeps the list of names short when the names are long', () => {
    const names = Array.from({ length: 20 }, (_, index) =>
      `check_${index}_`.padEnd(80, 'x'),
    );
    const line = summarizeAnswer({
      status: 503,
      contentType: JSON_CONTENT_TYPE,
      body: jsonBody(names.map((name) => result(name, false))),
      truncated: false,
    });
    expect(line).toBe(
      `unhealthy: HTTP 503, failed checks: ${names[0]}, ${names[1]} and 18 more`,
    );
  });

  it('shows Unicode line breaks and invisible format characters in a name as ?', () => {
    const line = summarizeAnswer({
      status: 503,
      contentType: JSON_CONTENT_TYPE,
      body: jsonBody([
        result('a\u2028b\u2029c\u0085d', false),
        result('\u202eevil\u202c\u2066x\u2069\u200bz\ufeff', false),
      ]),
      truncated: false,
    });
    expect(line).toBe(
      'unhealthy: HTTP 503, failed checks: a?b?c?d, ?evil??x??z?',
    );
  });

  it('cuts a long name between characters, never inside one', () => {
    const line = summarizeAnswer({
      status: 503,
      contentType: JSON_CONTENT_TYPE,
      body: jsonBody([result(`${'a'.repeat(79)}\u{1f600}tail`, false)]),
      truncated: false,
    });
    expect(line).toBe(`unhealthy: HTTP 503, failed checks: ${'a'.repeat(79)}…`);
  });
});

describe('summarizeFailure and summarizeTimeout', () => {
  it.each([
    ['ECONNREFUSED', 'unhealthy: connection refused (ECONNREFUSED)'],
    ['ENOTFOUND', 'unhealthy: host not found (ENOTFOUND)'],
    ['ECONNRESET', 'unhealthy: connection reset (ECONNRESET)'],
    [
      'HPE_INVALID_VERSION',
      'unhealthy: not a valid HTTP answer (HPE_INVALID_VERSION)',
    ],
    [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'unhealthy: TLS failed (DEPTH_ZERO_SELF_SIGNED_CERT)',
    ],
    ['EPROTO', 'unhealthy: TLS failed (EPROTO)'],
    ['EWHATEVER', 'unhealthy: request failed (EWHATEVER)'],
  ])('describes %s by its code', (code, line) => {
    const error = Object.assign(new Error(`connect ${code} secret-host`), {
      code,
    });
    expect(summarizeFailure(error)).toBe(line);
  });

  it("tells a connection closed before the answer (Node.js' socket hang up) from a reset", () => {
    const error = Object.assign(new Error('socket hang up'), {
      code: 'ECONNRESET',
    });
    expect(summarizeFailure(error)).toBe(
      'unhealthy: connection closed before the answer ended',
    );
  });

  it('describes an error without a code without its message', () => {
    expect(summarizeFailure(new Error('token=abc'))).toBe(
      'unhealthy: request failed',
    );
  });

  it('says whether the headers or only the body missed the timeout', () => {
    expect(summarizeTimeout(300, undefined)).toBe(
      'unhealthy: no answer within 300 ms',
    );
    expect(summarizeTimeout(300, 200)).toBe(
      'unhealthy: HTTP 200 but the body did not end within 300 ms',
    );
  });
});
