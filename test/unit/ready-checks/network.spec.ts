import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import {
  dnsFailed,
  httpFailed,
  httpWrongStatus,
  invalidCheckOption,
  tcpFailed,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import {
  checkDns,
  checkHttp,
  networkChecks,
  checkTcp,
} from '../../../lib/ready-checks/network/index.js';
import {
  startDnsServer,
  type DnsServerFixture,
} from '../../fixtures/ready-checks/dns-server.fixture.js';
import {
  eventually,
  openTcpSockets,
} from '../../fixtures/ready-checks/open-sockets.js';
import {
  startStoppedListener,
  type StoppedListener,
} from '../../fixtures/ready-checks/stopped-listener.fixture.js';
import { closedPort } from '../../support/ready-check.helpers.js';

const { http, tcp, dns } = networkChecks;
const TIMED_OUT = 'timed out after 100 ms';

/** A signal aborted after 100 ms the way the runner aborts it at a check's timeout. */
function timeoutSignal(ms = 100): { signal: AbortSignal; cancel: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException(TIMED_OUT, 'TimeoutError')),
    ms,
  );
  return { signal: controller.signal, cancel: () => clearTimeout(timer) };
}

const listen = (server: Server | HttpServer): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port),
    ),
  );

const close = (server: Server | HttpServer): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

const connections = (server: Server | HttpServer): Promise<number> =>
  new Promise((resolve, reject) =>
    server.getConnections((error, count) =>
      error ? reject(error) : resolve(count),
    ),
  );

function output(outcome: unknown): string {
  return String((outcome as { output: unknown }).output);
}

describe('checks.http', () => {
  let server: HttpServer;
  let base: string;
  const hanging: ServerResponse[] = [];

  beforeAll(async () => {
    server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
      switch (req.url?.split('?')[0]) {
        case '/ok':
          return res.end('ok');
        case '/down':
          res.statusCode = 503;
          return res.end('maintenance');
        case '/json':
          res.setHeader('content-type', 'application/json');
          return res.end(JSON.stringify({ status: 'up', db: 'down' }));
        case '/teapot':
          res.statusCode = 418;
          return res.end();
        case '/hang':
          hanging.push(res);
          return;
        default:
          res.statusCode = 404;
          return res.end();
      }
    });
    base = `http://127.0.0.1:${await listen(server)}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await close(server);
  });

  it('passes on a 2xx, reports the latency and leaves no connection open', async () => {
    const outcome = await checkHttp({
      url: `${base}/ok`,
      signal: new AbortController().signal,
    });
    expect(outcome).toMatchObject({ passed: true, observedUnit: 'ms' });
    expect(output(outcome)).toMatch(
      new RegExp(`^GET ${base}/ok: status 200 in \\d+\\.\\d ms$`),
    );
    expect(
      await eventually(async () => (await connections(server)) === 0),
    ).toBe(true);
  });

  it('fails on a 503 with the status it got and the statuses it expected', async () => {
    const outcome = await checkHttp({
      url: `${base}/down`,
      signal: new AbortController().signal,
    });
    expect(outcome).toEqual({
      passed: false,
      output: httpWrongStatus('GET', `${base}/down`, 503, '200-299'),
    });
    expect(output(outcome)).toBe(
      `GET ${base}/down: status 503, expected 200-299`,
    );
  });

  it('takes a status, a range or a predicate as expectStatus', async () => {
    const signal = new AbortController().signal;
    const url = `${base}/teapot`;
    expect(await checkHttp({ url, signal, expectStatus: 418 })).toMatchObject({
      passed: true,
    });
    expect(
      await checkHttp({ url, signal, expectStatus: [400, 499] }),
    ).toMatchObject({ passed: true });
    expect(
      await checkHttp({ url, signal, expectStatus: (status) => status < 400 }),
    ).toEqual({
      passed: false,
      output: httpWrongStatus(
        'GET',
        url,
        418,
        'a status accepted by expectStatus',
      ),
    });
    expect(
      await checkHttp({ url, signal, method: 'head', expectStatus: 418 }),
    ).toMatchObject({ passed: true, output: expect.stringMatching(/^HEAD /) });
  });

  it('checks the body with expectBody and shows what came back when it does not match', async () => {
    const signal = new AbortController().signal;
    const url = `${base}/json`;
    const isUp = (body: string) =>
      (JSON.parse(body) as { status: string }).status === 'up';
    const dbUp = (body: string) =>
      (JSON.parse(body) as { db: string }).db === 'up';
    expect(await checkHttp({ url, signal, expectBody: isUp })).toMatchObject({
      passed: true,
    });
    expect(await checkHttp({ url, signal, expectBody: dbUp })).toEqual({
      passed: false,
      output: `GET ${url}: status 200, but expectBody rejected the body "{\\"status\\":\\"up\\",\\"db\\":\\"down\\"}"`,
    });
    const throwing = await checkHttp({
      url: `${base}/ok`,
      signal,
      expectBody: (body) => JSON.parse(body) as boolean,
    });
    expect(output(throwing)).toMatch(
      new RegExp(`^GET ${base}/ok: status 200, but expectBody threw: .*JSON`),
    );
    expect(
      await eventually(async () => (await connections(server)) === 0),
    ).toBe(true);
  });

  it('fails at the signal on a server that never answers, and closes the connection', async () => {
    const before = openTcpSockets();
    const { signal } = timeoutSignal();
    const outcome = await checkHttp({ url: `${base}/hang`, signal });
    expect(outcome).toEqual({
      passed: false,
      output: httpFailed('GET', `${base}/hang`, TIMED_OUT),
    });
    expect(hanging).toHaveLength(1);
    expect(
      await eventually(async () => (await connections(server)) === 0),
    ).toBe(true);
    expect(await eventually(() => openTcpSockets() <= before)).toBe(true);
  });

  it('says what the connect error was', async () => {
    const port = await closedPort();
    const url = `http://127.0.0.1:${port}/health`;
    expect(
      await checkHttp({ url, signal: new AbortController().signal }),
    ).toEqual({
      passed: false,
      output: `GET ${url}: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it('never shows credentials or the query string of the url', async () => {
    const outcome = await checkHttp({
      url: `http://user:s3cret@127.0.0.1:${new URL(base).port}/down?token=abc123`,
      signal: new AbortController().signal,
    });
    expect(output(outcome)).toBe(
      `GET ${base}/down?…: status 503, expected 200-299`,
    );
  });

  it('runs as a built check with the runner signal', async () => {
    const definition = http('api', {
      url: `${base}/ok`,
      headers: { 'x-probe': '1' },
      critical: false,
    });
    expect(definition.source).toBe("checks.http('api')");
    expect(definition.options).toEqual({ critical: false });
    const run = definition.build(() => {
      throw new Error('no dependency expected');
    });
    expect(await run({ signal: new AbortController().signal })).toMatchObject({
      passed: true,
    });
    expect(http.run).toBe(checkHttp);
  });

  it('refuses options that cannot work when the builder is called', () => {
    const where = "checks.http('api')";
    const urlExpected =
      "an http: or https: URL, e.g. 'http://127.0.0.1:8080/health'";
    expect(() => http('api', {} as never)).toThrow(
      invalidCheckOption(where, 'url', urlExpected, 'undefined'),
    );
    expect(() => http('api', { url: 'ftp://example.test/' })).toThrow(
      invalidCheckOption(
        where,
        'url',
        urlExpected,
        "the string 'ftp://example.test/'",
      ),
    );
    expect(() =>
      http('api', { url: base, expectStatus: [299, 200] as const }),
    ).toThrow(/option "expectStatus" .*got an array of length 2/);
    expect(() => http('api', { url: base, expectBody: 'ok' } as never)).toThrow(
      /option "expectBody"/,
    );
    expect(() => http('api', { url: base, method: 'GET /' })).toThrow(
      /option "method"/,
    );
    expect(() =>
      http('api', { url: base, expectedStatus: 200 } as never),
    ).toThrow(
      unknownCheckOption(where, 'expectedStatus', [
        'url',
        'expectStatus',
        'expectBody',
        'method',
        'headers',
      ]),
    );
  });
});

describe('checks.tcp', () => {
  it('passes when the port accepts, and closes the connection', async () => {
    const server = createServer();
    const port = await listen(server);
    try {
      const outcome = await checkTcp({
        host: '127.0.0.1',
        port,
        signal: new AbortController().signal,
      });
      expect(outcome).toMatchObject({ passed: true, observedUnit: 'ms' });
      expect(output(outcome)).toMatch(
        new RegExp(`^connected to 127\\.0\\.0\\.1:${port} in \\d+\\.\\d ms$`),
      );
      expect(
        await eventually(async () => (await connections(server)) === 0),
      ).toBe(true);
    } finally {
      await close(server);
    }
  });

  it('fails on a closed port with the connect error', async () => {
    const port = await closedPort();
    expect(
      await checkTcp({
        host: '127.0.0.1',
        port,
        signal: new AbortController().signal,
      }),
    ).toEqual({
      passed: false,
      output: tcpFailed(
        '127.0.0.1',
        port,
        `connect ECONNREFUSED 127.0.0.1:${port}`,
      ),
    });
  });

  describe('against a listener that never accepts', () => {
    let listener: StoppedListener;
    beforeAll(async () => {
      listener = await startStoppedListener();
    });
    afterAll(() => listener.close());

    it('fails at the signal and destroys its socket', async () => {
      const before = openTcpSockets();
      const { signal } = timeoutSignal();
      const outcome = await checkTcp({
        host: '127.0.0.1',
        port: listener.port,
        signal,
      });
      expect(outcome).toEqual({
        passed: false,
        output: tcpFailed('127.0.0.1', listener.port, TIMED_OUT),
      });
      expect(await eventually(() => openTcpSockets() <= before)).toBe(true);
    });
  });

  it('refuses a port that is not one when the builder is called', () => {
    expect(() => tcp('db', { host: '127.0.0.1', port: 70_000 })).toThrow(
      invalidCheckOption(
        "checks.tcp('db')",
        'port',
        'an integer port between 1 and 65535',
        'the number 70000',
      ),
    );
    expect(() => tcp('db', { port: 5432 } as never)).toThrow(/option "host"/);
    expect(tcp('db', { host: 'localhost', port: 5432 }).source).toBe(
      "checks.tcp('db')",
    );
  });
});

describe('checks.dns', () => {
  let server: DnsServerFixture;
  beforeAll(async () => {
    server = await startDnsServer({ 'healthy.test': '127.0.0.1' }, [
      'hang.test',
    ]);
  });
  afterAll(() => server.close());

  it('resolves localhost through the system resolver', async () => {
    const outcome = await checkDns({
      hostname: 'localhost',
      signal: new AbortController().signal,
    });
    expect(outcome).toMatchObject({ passed: true, observedUnit: 'ms' });
    expect(output(outcome)).toMatch(
      /^system lookup of localhost: .*(127\.0\.0\.1|::1).* in \d+\.\d ms$/,
    );
  });

  it('sends a DNS query to the given servers', async () => {
    const outcome = await checkDns({
      hostname: 'healthy.test',
      servers: [server.address],
      signal: new AbortController().signal,
    });
    expect(output(outcome)).toMatch(
      new RegExp(
        `^A query to ${server.address} of healthy\\.test: 127\\.0\\.0\\.1 in \\d+\\.\\d ms$`,
      ),
    );
    expect(outcome).toMatchObject({ passed: true });
  });

  it('fails on a name that does not resolve', async () => {
    const outcome = await checkDns({
      hostname: 'missing.test',
      servers: [server.address],
      signal: new AbortController().signal,
    });
    expect(outcome).toEqual({
      passed: false,
      output: dnsFailed(
        'missing.test',
        `A query to ${server.address}`,
        'queryA ENOTFOUND missing.test',
      ),
    });
  });

  it('cancels the query when the signal aborts on a server that never answers', async () => {
    const asked = server.queries();
    const { signal } = timeoutSignal();
    const outcome = await checkDns({
      hostname: 'hang.test',
      servers: [server.address],
      signal,
    });
    expect(outcome).toEqual({
      passed: false,
      output: dnsFailed('hang.test', `A query to ${server.address}`, TIMED_OUT),
    });
    expect(server.queries()).toBeGreaterThan(asked);
  });

  it('refuses servers and record types it cannot use when the builder is called', () => {
    expect(() =>
      dns('resolver', { hostname: 'db.internal', servers: ['not an address'] }),
    ).toThrow(/option "servers" of health check checks\.dns\('resolver'\)/);
    expect(() =>
      dns('resolver', { hostname: 'db.internal', rrtype: 'XYZ' } as never),
    ).toThrow(/option "rrtype".*expected one of A, AAAA/);
    expect(() => dns('resolver', { hostname: '' })).toThrow(
      /option "hostname"/,
    );
    expect(dns.run).toBe(checkDns);
  });
});
