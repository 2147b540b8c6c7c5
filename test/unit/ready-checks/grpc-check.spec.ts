import grpcJs from '@grpc/grpc-js';
import healthCheck from 'grpc-health-check';
import {
  createServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import {
  grpcCheckFailed,
  grpcClientMissing,
  grpcNotServing,
  invalidCheckOption,
} from '../../../lib/healthcheck.messages.js';
import { checkGrpc, grpcChecks } from '../../../lib/ready-checks/grpc/index.js';
import { loadGrpcJs } from '../../../lib/ready-checks/grpc/grpc-js.loader.js';
import {
  decodeHealthCheckResponse,
  encodeHealthCheckRequest,
} from '../../../lib/ready-checks/grpc/health-message.codec.js';
import {
  eventually,
  openTcpSockets,
} from '../../fixtures/ready-checks/open-sockets.js';

const { grpc } = grpcChecks;
const TIMED_OUT = 'timed out after 100 ms';

function output(outcome: unknown): string {
  return String((outcome as { output: unknown }).output);
}

const signal = () => new AbortController().signal;

async function startHealthServer(): Promise<{
  url: string;
  server: grpcJs.Server;
}> {
  const server = new grpcJs.Server();
  new healthCheck.HealthImplementation({
    '': 'SERVING',
    orders: 'SERVING',
    billing: 'NOT_SERVING',
  }).addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      '127.0.0.1:0',
      grpcJs.ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );
  return { url: `127.0.0.1:${port}`, server };
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve((server.address() as AddressInfo).port),
    ),
  );

const close = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

describe('checks.grpc against a grpc-health-check server', () => {
  let url: string;
  let server: grpcJs.Server;

  beforeAll(async () => {
    ({ url, server } = await startHealthServer());
  });
  afterAll(() => server.forceShutdown());

  it('passes on SERVING for the server as a whole and closes its channel', async () => {
    const before = openTcpSockets();
    const outcome = await checkGrpc({ url, signal: signal() });
    expect(outcome).toMatchObject({ passed: true, observedUnit: 'ms' });
    expect(output(outcome)).toMatch(
      new RegExp(
        `^grpc\\.health\\.v1\\.Health/Check of the server at ${url}: SERVING in \\d+\\.\\d ms$`,
      ),
    );
    expect(await eventually(() => openTcpSockets() <= before)).toBe(true);
  });

  it('passes on SERVING for a named service', async () => {
    expect(
      await checkGrpc({ url, service: 'orders', signal: signal() }),
    ).toMatchObject({ passed: true });
  });

  it('fails on NOT_SERVING with the status name', async () => {
    expect(
      await checkGrpc({ url, service: 'billing', signal: signal() }),
    ).toEqual({
      passed: false,
      output: grpcNotServing('billing', url, 'NOT_SERVING'),
    });
  });

  it('fails on a service the server does not know, with the gRPC status', async () => {
    expect(await checkGrpc({ url, service: 'nope', signal: signal() })).toEqual(
      {
        passed: false,
        output: grpcCheckFailed(
          'nope',
          url,
          'NOT_FOUND: Health status unknown for service nope',
        ),
      },
    );
  });

  it('runs as a built check with the runner signal', async () => {
    const definition = grpc('orders', { url, service: 'orders', timeout: 500 });
    expect(definition.source).toBe("checks.grpc('orders')");
    expect(definition.options).toEqual({ timeout: 500 });
    const run = definition.build(() => {
      throw new Error('no dependency expected');
    });
    expect(await run({ signal: signal() })).toMatchObject({ passed: true });
    expect(grpc.run).toBe(checkGrpc);
  });
});

describe('checks.grpc when the server is not there', () => {
  it('fails with UNAVAILABLE and the connect error when nothing listens', async () => {
    const probe = createServer();
    const port = await listen(probe);
    await close(probe);
    const outcome = await checkGrpc({
      url: `127.0.0.1:${port}`,
      signal: signal(),
    });
    expect(outcome).toMatchObject({ passed: false });
    expect(output(outcome)).toMatch(
      new RegExp(
        `^grpc\\.health\\.v1\\.Health/Check of the server at 127\\.0\\.0\\.1:${port} failed: UNAVAILABLE: .*ECONNREFUSED 127\\.0\\.0\\.1:${port}\\.?$`,
      ),
    );
  });

  it('fails at the signal on a server that accepts and never answers, and closes the connection', async () => {
    // Reads and drops what it is sent (so it sees the client close), never answers.
    const accepted: Socket[] = [];
    const silent = createServer((socket) => {
      accepted.push(socket);
      socket.resume();
    });
    const port = await listen(silent);
    const url = `127.0.0.1:${port}`;
    try {
      const before = openTcpSockets();
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new DOMException(TIMED_OUT, 'TimeoutError')),
        100,
      );
      const outcome = await checkGrpc({ url, signal: controller.signal });
      clearTimeout(timer);
      expect(outcome).toEqual({
        passed: false,
        output: grpcCheckFailed('', url, TIMED_OUT),
      });
      const connections = () =>
        new Promise<number>((resolve) =>
          silent.getConnections((_, count) => resolve(count)),
        );
      expect(await eventually(async () => (await connections()) === 0)).toBe(
        true,
      );
      expect(await eventually(() => openTcpSockets() <= before)).toBe(true);
    } finally {
      for (const socket of accepted) socket.destroy();
      await close(silent);
    }
  });
});

describe('checks.grpc against a server whose health service never answers', () => {
  let url: string;
  let server: grpcJs.Server;

  beforeAll(async () => {
    server = new grpcJs.Server();
    const never = () => undefined;
    server.addService(healthCheck.service, {
      check: never,
      watch: never,
      list: never,
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        '127.0.0.1:0',
        grpcJs.ServerCredentials.createInsecure(),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    url = `127.0.0.1:${port}`;
  });
  afterAll(() => server.forceShutdown());

  it('fails at the signal and closes its connection', async () => {
    const before = openTcpSockets();
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(TIMED_OUT, 'TimeoutError')),
      100,
    );
    const outcome = await checkGrpc({ url, signal: controller.signal });
    clearTimeout(timer);
    expect(outcome).toEqual({
      passed: false,
      output: grpcCheckFailed('', url, TIMED_OUT),
    });
    expect(await eventually(() => openTcpSockets() <= before)).toBe(true);
  });
});

describe('@grpc/grpc-js as an optional peer', () => {
  it('says which package to install when it cannot be loaded', async () => {
    const missing = '@grpc/grpc-js-not-installed';
    const error = await loadGrpcJs(missing).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.message).toMatch(
      new RegExp(
        `^${grpcClientMissing(missing, '').replace(
          /[.*+?^${}()|[\]\\]/g,
          '\\$&',
        )}.*${missing}`,
      ),
    );
  });

  it('loads the installed package once', async () => {
    const first = await loadGrpcJs();
    expect(typeof first.Client).toBe('function');
    expect(await loadGrpcJs()).toBe(first);
  });
});

describe('health message codec', () => {
  it('encodes the service name as field 1 and reads the status of field 1', () => {
    expect(encodeHealthCheckRequest('')).toEqual(Buffer.alloc(0));
    expect(encodeHealthCheckRequest('ab')).toEqual(
      Buffer.from([0x0a, 2, 0x61, 0x62]),
    );
    const long = 'x'.repeat(200);
    expect(encodeHealthCheckRequest(long).subarray(0, 3)).toEqual(
      Buffer.from([0x0a, 0xc8, 0x01]),
    );
    expect(decodeHealthCheckResponse(Buffer.alloc(0))).toBe('UNKNOWN');
    expect(decodeHealthCheckResponse(Buffer.from([0x08, 1]))).toBe('SERVING');
    // An unknown length-delimited field 2 before the status is skipped.
    expect(
      decodeHealthCheckResponse(Buffer.from([0x12, 1, 0x41, 0x08, 3])),
    ).toBe('SERVICE_UNKNOWN');
    expect(decodeHealthCheckResponse(Buffer.from([0x08, 9]))).toBe('STATUS_9');
  });
});

describe('checks.grpc options', () => {
  it('refuses options that cannot work when the builder is called', () => {
    expect(() => grpc('orders', {} as never)).toThrow(
      invalidCheckOption(
        "checks.grpc('orders')",
        'url',
        "a gRPC target, e.g. '127.0.0.1:50051' or 'dns:///orders.internal:443'",
        'undefined',
      ),
    );
    expect(() =>
      grpc('orders', { url: '127.0.0.1:1', service: 3 } as never),
    ).toThrow(/option "service"/);
    expect(() =>
      grpc('orders', { url: '127.0.0.1:1', tls: 'yes' } as never),
    ).toThrow(/option "tls".*expected true or false/);
  });
});
