import { afterEach, describe, expect, it, jest } from '@jest/globals';
import ts from 'typescript';
import { Script } from 'node:vm';
import { DEFAULTS } from '../../lib/healthcheck.constants.js';
import {
  invalidOption,
  threadLimitsOutOfOrder,
  unknownOption,
} from '../../lib/healthcheck.messages.js';
import { resolveModuleOptions } from '../../lib/options/module-options.resolver.js';
import { EXPECTED } from '../../lib/options/option-validators.js';
import {
  errorResponse,
  type HttpResponse,
  renderBody,
} from '../../lib/report/http-response.js';
import type { HealthRoute } from '../../lib/server/health-route.matcher.js';
import {
  blockLimit,
  renderAnswer,
  tableKey,
} from '../../lib/server/thread/health-server.worker.js';
import {
  BEAT_SLOT,
  Heartbeat,
  monotonicMs,
  SHUTDOWN_SLOT,
} from '../../lib/server/thread/heartbeat.js';
import { publishAnswer } from '../../lib/server/thread/published-answer.js';
import { healthServerWorkerSource } from '../../lib/server/thread/worker-source.js';

const MARKER = 'blocked-3f1c0b6e-marker';
const HEADERS = [
  ['Content-Type', 'application/json; charset=utf-8'],
  ['Cache-Control', 'no-store'],
] as const;

const timestamped = (head: string, tail: string): HttpResponse => ({
  status: 200,
  headers: HEADERS,
  body: { head, tail },
});

describe('publishAnswer', () => {
  it('keeps a body without a timestamp or marker as one segment, with its status and headers', () => {
    const response = errorResponse(503, 'busy', { 'Retry-After': '1' });
    const answer = publishAnswer(response, MARKER);
    expect(answer).toEqual({
      status: 503,
      headers: [
        ['Content-Type', 'application/json; charset=utf-8'],
        ['Cache-Control', 'no-store'],
        ['Retry-After', '1'],
      ],
      segments: [response.body],
      holes: [],
    });
    expect(renderAnswer(answer, 1_700_000_000_000, 1234)).toBe(response.body);
  });

  it('copies the headers, so the answer is plain data that crosses threads', () => {
    const response = errorResponse(500, 'x');
    const answer = publishAnswer(response);
    expect(answer.headers).not.toBe(response.headers);
    expect(answer.headers[0]).not.toBe(response.headers[0]);
    expect(structuredClone(answer)).toEqual(answer);
  });

  it("cuts a timestamped body around the timestamp's value: a `now` hole", () => {
    const response = timestamped(
      '{"status":"success","timestamp":',
      ',"results":[]}',
    );
    const answer = publishAnswer(response);
    expect(answer.segments).toEqual([
      '{"status":"success","timestamp":',
      ',"results":[]}',
    ]);
    expect(answer.holes).toEqual(['now']);
    expect(renderAnswer(answer, 1_700_000_000_123, 0)).toBe(
      renderBody(response, 1_700_000_000_123),
    );
  });

  it('turns every marker into a `blockedMs` hole, in the head and in the tail, in order with the timestamp', () => {
    const response = timestamped(
      `{"a":"${MARKER} ms","timestamp":`,
      `,"b":"${MARKER}","c":"x ${MARKER}${MARKER} y"}`,
    );
    const answer = publishAnswer(response, MARKER);
    expect(answer.holes).toEqual([
      'blockedMs',
      'now',
      'blockedMs',
      'blockedMs',
      'blockedMs',
    ]);
    expect(answer.segments).toHaveLength(answer.holes.length + 1);
    expect(answer.segments.join('')).not.toContain(MARKER);
    expect(renderAnswer(answer, 1_500, 2403)).toBe(
      '{"a":"2403 ms","timestamp":1.5,"b":"2403","c":"x 24032403 y"}',
    );
  });

  it('makes holes of markers at the very start and end of a plain body', () => {
    const answer = publishAnswer(
      { status: 503, headers: HEADERS, body: `${MARKER}-${MARKER}` },
      MARKER,
    );
    expect(answer.segments).toEqual(['', '-', '']);
    expect(answer.holes).toEqual(['blockedMs', 'blockedMs']);
    expect(renderAnswer(answer, 0, 7)).toBe('7-7');
  });

  it('leaves the marker text alone when no marker is given', () => {
    const body = `{"output":"${MARKER}"}`;
    const answer = publishAnswer({ status: 200, headers: HEADERS, body });
    expect(answer.segments).toEqual([body]);
    expect(answer.holes).toEqual([]);
  });
});

describe('renderAnswer', () => {
  it('fills each hole with its value: the time in seconds, the block in milliseconds', () => {
    expect(
      renderAnswer(
        {
          status: 200,
          headers: [],
          segments: ['<', '|', '|', '>'],
          holes: ['now', 'blockedMs', 'now'],
        },
        2_000_250,
        31,
      ),
    ).toBe('<2000.25|31|2000.25>');
  });
});

describe('tableKey', () => {
  const report: HealthRoute = { kind: 'report' };
  it.each([
    ['', 'report'],
    ['pretty=1', 'report'],
    ['checks=db', 'report'],
    ['check=db', undefined],
    ['exclude=db', undefined],
    ['check=a&check=b', undefined],
    ['x=1&exclude=', undefined],
    ['%63heck=db', undefined],
  ])(
    'keys the report with the query %p as %p (a selection goes to the main thread)',
    (query, key) => {
      expect(tableKey(report, 'GET', query)).toBe(key);
    },
  );

  it.each<[HealthRoute, string | undefined]>([
    [{ kind: 'probe', probe: 'liveness' }, 'probe:liveness'],
    [{ kind: 'probe', probe: 'readiness' }, 'probe:readiness'],
    [{ kind: 'probe', probe: 'startup' }, 'probe:startup'],
    [{ kind: 'group', tag: 'queue' }, 'group:queue'],
    [{ kind: 'history' }, 'history'],
    [{ kind: 'ui' }, 'ui'],
    [{ kind: 'events' }, undefined],
    [{ kind: 'environment' }, undefined],
    [{ kind: 'drain' }, undefined],
  ])('keys %p as %p', (route, key) => {
    expect(tableKey(route, 'GET', '')).toBe(key);
    expect(tableKey(route, 'HEAD', '')).toBe(key);
  });

  it.each(['POST', 'DELETE', 'PUT', 'OPTIONS', 'get'])(
    'hands %s over to the main thread (its 405 or its handler)',
    (method) => {
      expect(tableKey(report, method, '')).toBeUndefined();
      expect(
        tableKey({ kind: 'probe', probe: 'liveness' }, method, ''),
      ).toBeUndefined();
    },
  );
});

describe('blockLimit', () => {
  const limits = { notReadyAfter: 2_000, notLiveAfter: 30_000 };
  it.each<[HealthRoute, number | undefined]>([
    [{ kind: 'probe', probe: 'liveness' }, 30_000],
    [{ kind: 'probe', probe: 'startup' }, 30_000],
    [{ kind: 'group', tag: 'liveness' }, 30_000],
    [{ kind: 'group', tag: 'startup' }, 30_000],
    [{ kind: 'probe', probe: 'readiness' }, 2_000],
    [{ kind: 'group', tag: 'readiness' }, 2_000],
    [{ kind: 'group', tag: 'queue' }, 2_000],
    [{ kind: 'group', tag: 'live' }, 2_000],
    [{ kind: 'report' }, 2_000],
    [{ kind: 'history' }, undefined],
    [{ kind: 'ui' }, undefined],
    [{ kind: 'events' }, undefined],
    [{ kind: 'environment' }, undefined],
    [{ kind: 'drain' }, undefined],
  ])('gives %p the limit %p', (route, limit) => {
    expect(blockLimit(route, limits)).toBe(limit);
  });
});

/** Names the program uses but does not declare, as TypeScript's checker sees them with Node.js's globals. */
function undeclaredNames(source: string): string[] {
  const fileName = `${process.cwd()}/worker-source.virtual.js`;
  const options: ts.CompilerOptions = {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    name === fileName
      ? ts.createSourceFile(name, source, language)
      : getSourceFile(name, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === fileName || fileExists(name);
  const program = ts.createProgram([fileName], options, host);
  const cannotFindName = new Set([2304, 2552, 2580, 2582, 2591]);
  return program
    .getSemanticDiagnostics(program.getSourceFile(fileName))
    .filter((diagnostic) => cannotFindName.has(diagnostic.code))
    .map((diagnostic) =>
      ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
    );
}

describe('the worker source', () => {
  const source = healthServerWorkerSource();

  it('parses as a script, with each function it needs and the call that starts the server', () => {
    expect(() => new Script(source, { filename: 'worker.js' })).not.toThrow();
    expect(() => new Function(source)).not.toThrow();
    for (const name of [
      'createHealthRouteMatcher',
      'tableKey',
      'blockLimit',
      'renderAnswer',
      'runHealthServerWorker',
    ]) {
      expect(source).toContain(`function ${name}(`);
    }
    expect(source.trimEnd()).toMatch(
      /runHealthServerWorker\(require\('node:worker_threads'\), require\('node:http'\)\);$/,
    );
  });

  it('names no identifier outside what it includes and Node.js globals (no import, no module constant)', () => {
    expect(undeclaredNames(source)).toEqual([]);
  }, 30_000);

  it('would be caught naming a module constant or an imported function', () => {
    const leaky = `${source}\nfunction leak() { return BEAT_SLOT + publishAnswer(1); }`;
    expect(undeclaredNames(leaky)).toEqual([
      expect.stringContaining("'BEAT_SLOT'"),
      expect.stringContaining("'publishAnswer'"),
    ]);
  }, 30_000);
});

describe('Heartbeat', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('beats the monotonic time into shared memory at every interval, and no more once stopped', () => {
    jest.useFakeTimers();
    const heartbeat = new Heartbeat(100);
    const slots = new BigInt64Array(heartbeat.memory);
    expect(heartbeat.memory).toBeInstanceOf(SharedArrayBuffer);
    const first = slots[BEAT_SLOT];
    expect(first).toBe(monotonicMs());
    jest.advanceTimersByTime(40);
    heartbeat.start();
    expect(slots[BEAT_SLOT]).toBe(first + 40n);
    jest.advanceTimersByTime(99);
    expect(slots[BEAT_SLOT]).toBe(first + 40n);
    jest.advanceTimersByTime(1);
    expect(slots[BEAT_SLOT]).toBe(first + 140n);
    jest.advanceTimersByTime(300);
    expect(slots[BEAT_SLOT]).toBe(first + 440n);
    heartbeat.stop();
    jest.advanceTimersByTime(1_000);
    expect(slots[BEAT_SLOT]).toBe(first + 440n);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('reads no wall clock: a Date.now moved an hour back or forth changes no beat', () => {
    const heartbeat = new Heartbeat(100);
    const slots = new BigInt64Array(heartbeat.memory);
    const realNow = Date.now();
    for (const shift of [-3_600_000, 3_600_000]) {
      const now = jest.spyOn(Date, 'now').mockReturnValue(realNow + shift);
      const before = monotonicMs();
      heartbeat.start();
      heartbeat.stop();
      expect(slots[BEAT_SLOT]).toBeGreaterThanOrEqual(before);
      expect(slots[BEAT_SLOT]).toBeLessThanOrEqual(monotonicMs());
      now.mockRestore();
    }
  });

  it('starts one timer however often it is started', () => {
    jest.useFakeTimers();
    const heartbeat = new Heartbeat(100);
    heartbeat.start();
    heartbeat.start();
    expect(jest.getTimerCount()).toBe(1);
    heartbeat.stop();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('flags the shutdown in its own slot, seen through another view of the memory', () => {
    const heartbeat = new Heartbeat(100);
    const other = new BigInt64Array(heartbeat.memory);
    expect(other[SHUTDOWN_SLOT]).toBe(0n);
    heartbeat.markShutdown();
    expect(Atomics.load(other, SHUTDOWN_SLOT)).toBe(1n);
    expect(other[BEAT_SLOT]).toBeGreaterThan(0n);
  });
});

describe('the options server.thread and server.drainRoute', () => {
  const server = (extra: Record<string, unknown>) =>
    resolveModuleOptions({ server: { port: 0, ...extra } }).server!;

  it('leaves both off by default', () => {
    expect(server({}).thread).toBeNull();
    expect(server({}).drainRoute).toBe(false);
    expect(server({ thread: false }).thread).toBeNull();
  });

  it('takes true as the default limits', () => {
    expect(server({ thread: true }).thread).toEqual({
      notReadyAfter: DEFAULTS.notReadyAfter,
      notLiveAfter: DEFAULTS.notLiveAfter,
    });
    expect(DEFAULTS).toMatchObject({
      notReadyAfter: 2_000,
      notLiveAfter: 30_000,
    });
  });

  it('takes an object, each limit defaulting on its own', () => {
    expect(server({ thread: { notReadyAfter: 500 } }).thread).toEqual({
      notReadyAfter: 500,
      notLiveAfter: 30_000,
    });
    expect(
      server({ thread: { notReadyAfter: 200, notLiveAfter: 3_600_000 } })
        .thread,
    ).toEqual({ notReadyAfter: 200, notLiveAfter: 3_600_000 });
    expect(
      server({ thread: { notReadyAfter: 1_000, notLiveAfter: 1_000 } }).thread,
    ).toEqual({ notReadyAfter: 1_000, notLiveAfter: 1_000 });
  });

  it.each([
    ['notReadyAfter', 199, 'the number 199'],
    ['notReadyAfter', 3_600_001, 'the number 3600001'],
    ['notLiveAfter', 0, 'the number 0'],
    ['notLiveAfter', 1_500.5, 'the number 1500.5'],
    ['notLiveAfter', '5000', "the string '5000'"],
    ['notReadyAfter', null, 'null'],
  ])('refuses %s = %p', (limit, value, got) => {
    expect(() => server({ thread: { [limit]: value } })).toThrow(
      invalidOption(`server.thread.${limit}`, EXPECTED.heartbeatLimit, got),
    );
  });

  it.each([
    ['yes', "the string 'yes'"],
    [1, 'the number 1'],
    [[], 'an array of length 0 ([])'],
  ])('refuses thread = %p', (value, got) => {
    expect(() => server({ thread: value })).toThrow(
      invalidOption(
        'server.thread',
        'true, or an object { notReadyAfter?, notLiveAfter? } (milliseconds)',
        got,
      ),
    );
  });

  it('refuses notLiveAfter shorter than notReadyAfter, with the message that says why', () => {
    expect(() =>
      server({ thread: { notReadyAfter: 5_000, notLiveAfter: 4_999 } }),
    ).toThrow(
      threadLimitsOutOfOrder({ notReadyAfter: 5_000, notLiveAfter: 4_999 }),
    );
    expect(() => server({ thread: { notReadyAfter: 40_000 } })).toThrow(
      threadLimitsOutOfOrder({ notReadyAfter: 40_000, notLiveAfter: 30_000 }),
    );
  });

  it('refuses an unknown key inside thread, naming the known ones', () => {
    expect(() => server({ thread: { notReadyAfterMs: 500 } })).toThrow(
      unknownOption('HealthcheckModule', 'server.thread.notReadyAfterMs', [
        'server.thread.notReadyAfter',
        'server.thread.notLiveAfter',
      ]),
    );
  });

  it('takes drainRoute true or false, and nothing else', () => {
    expect(server({ drainRoute: true }).drainRoute).toBe(true);
    expect(server({ drainRoute: false }).drainRoute).toBe(false);
    for (const [value, got] of [
      ['true', "the string 'true'"],
      [1, 'the number 1'],
      [null, 'null'],
    ] as const) {
      expect(() => server({ drainRoute: value })).toThrow(
        invalidOption('server.drainRoute', EXPECTED.boolean, got),
      );
    }
  });
});
