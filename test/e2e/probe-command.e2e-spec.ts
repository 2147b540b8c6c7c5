import { afterEach } from '@jest/globals';
import { type INestApplication, Injectable, Module } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import {
  createServer as createHttpsServer,
  type Server as HttpsServer,
} from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import {
  HealthCheck,
  HealthcheckModule,
  type HealthcheckModuleOptions,
  HealthcheckServer,
} from '../../lib/index.js';
import { freePort, run, tempDir } from '../services/service-utils.js';
import { createApp, PLATFORMS } from './platforms.js';

const PROBE = join(process.cwd(), 'bin', 'nestjs-healthcheck-probe.mjs');
/** Ends a probe that outlives this, so that a broken timeout fails the test instead of hanging the suite. */
const PROBE_LIMIT_MS = 15_000;
const DATABASE_OUTPUT = 'replica lag 42 s on db-7';

interface ProbeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the real executable, `node bin/nestjs-healthcheck-probe.mjs ...args`, in a process of its own. */
async function runProbe(...args: string[]): Promise<ProbeRun> {
  return runProbeWith({}, ...args);
}

async function runProbeWith(
  env: Record<string, string>,
  ...args: string[]
): Promise<ProbeRun> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [PROBE, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text) => (stderr += text));
  const limit = setTimeout(() => child.kill('SIGKILL'), PROBE_LIMIT_MS);
  try {
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr, ms: performance.now() - startedAt };
  } finally {
    clearTimeout(limit);
  }
}

/** A passing liveness check, a failing critical check and a failing non-critical one. */
@Injectable()
class ProbedChecks {
  @HealthCheck({ tags: ['liveness'] })
  process(): boolean {
    return true;
  }

  @HealthCheck({ tags: ['readiness'] })
  database(): [boolean, string] {
    return [false, DATABASE_OUTPUT];
  }

  @HealthCheck({ tags: ['cache'], critical: false })
  cache(): [boolean, string] {
    return [false, 'cache cold'];
  }
}

function appModule(options: HealthcheckModuleOptions) {
  @Module({
    imports: [HealthcheckModule.forRoot(options)],
    providers: [ProbedChecks],
  })
  class AppModule {}
  return AppModule;
}

/** A plain server on a free loopback port, closed (its connections too) by `closeServers()`. */
const servers: Array<Server | HttpsServer> = [];
async function listen(server: Server | HttpsServer): Promise<string> {
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}
async function closeServers(): Promise<void> {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe.each(PLATFORMS)(
  'the probe command against an app (%s)',
  (platform) => {
    let app: INestApplication | undefined;
    afterEach(async () => {
      await app?.close();
      app = undefined;
    });

    async function boot(
      options: HealthcheckModuleOptions = {},
    ): Promise<string> {
      app = await createApp(appModule(options), platform);
      await app.listen(0, '127.0.0.1');
      const { port } = app.getHttpServer().address() as { port: number };
      return `http://127.0.0.1:${port}`;
    }

    it('exits 0 and prints HTTP 200 for a passing route', async () => {
      const url = await boot();
      const probe = await runProbe(`${url}/healthcheck/live`);
      expect(probe).toMatchObject({
        code: 0,
        stdout: 'healthy: HTTP 200\n',
        stderr: '',
      });
      console.log(`probe of a passing route: ${probe.ms.toFixed(0)} ms`);
    });

    it('exits 1 and names the failed check, without its output', async () => {
      const url = await boot({ showDetails: true });
      const body = await (await fetch(`${url}/healthcheck/ready`)).text();
      expect(body).toContain(DATABASE_OUTPUT);
      const probe = await runProbe(`${url}/healthcheck/ready`);
      expect(probe.code).toBe(1);
      expect(probe.stdout).toMatch(
        /^unhealthy: HTTP 5\d\d, failed checks: database\n$/,
      );
      expect(probe.stdout).not.toContain(DATABASE_OUTPUT);
    });

    it('names every failed check of the full report', async () => {
      const url = await boot();
      const probe = await runProbe(`${url}/healthcheck`, '--timeout', '5000');
      expect(probe.code).toBe(1);
      expect(probe.stdout).toMatch(/failed checks: database, cache\n$/);
    });

    it('exits 0 for a degraded report and names the failed non-critical check', async () => {
      const url = await boot();
      const probe = await runProbe(`${url}/healthcheck/group/cache`);
      expect(probe).toMatchObject({
        code: 0,
        stdout:
          'healthy: HTTP 200, degraded, failed non-critical checks: cache\n',
      });
    });

    it('reads the IETF format (application/health+json)', async () => {
      const url = await boot({ format: 'ietf', showDetails: true });
      const probe = await runProbe(`${url}/healthcheck/ready`);
      expect(probe.code).toBe(1);
      expect(probe.stdout).toMatch(/failed checks: database\n$/);
      expect(probe.stdout).not.toContain(DATABASE_OUTPUT);
    });

    it('exits 1 for a route the app does not have', async () => {
      const url = await boot();
      const probe = await runProbe(`${url}/healthcheck/nowhere`);
      expect(probe).toMatchObject({
        code: 1,
        stdout: 'unhealthy: HTTP 404\n',
      });
    });
  },
);

describe("the probe command against the module's health server", () => {
  let app: INestApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('answers for its port as for the app routes', async () => {
    app = await createApp(
      appModule({ server: { port: 0, host: '127.0.0.1' } }),
      'express',
    );
    const address = app.get(HealthcheckServer).address();
    if (!address) throw new Error('the health server is not listening');
    const url = `http://127.0.0.1:${address.port}`;
    expect(await runProbe(`${url}/healthcheck/live`)).toMatchObject({
      code: 0,
      stdout: 'healthy: HTTP 200\n',
    });
    const ready = await runProbe(`${url}/healthcheck/ready`);
    expect(ready.code).toBe(1);
    expect(ready.stdout).toMatch(/failed checks: database\n$/);
    expect(ready.stdout).not.toContain(DATABASE_OUTPUT);
    expect(await runProbe(`${url}/elsewhere`)).toMatchObject({
      code: 1,
      stdout: 'unhealthy: HTTP 404\n',
    });
  });
});

describe('the probe command without a healthy answer', () => {
  afterEach(closeServers);

  it('exits 1 with a short reason when nothing listens', async () => {
    const port = await freePort();
    expect(await runProbe(`http://127.0.0.1:${port}/health`)).toMatchObject({
      code: 1,
      stdout: 'unhealthy: connection refused (ECONNREFUSED)\n',
    });
  });

  it('exits 1 at the timeout when a server accepts and never answers, and closes the connection', async () => {
    const sockets: Socket[] = [];
    let received = '';
    const silent = createNetServer((socket) => {
      sockets.push(socket);
      socket.setEncoding('utf8').on('data', (text) => (received += text));
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    try {
      const probe = await runProbe(
        `http://127.0.0.1:${port}/health`,
        '--timeout',
        '300',
      );
      expect(probe).toMatchObject({
        code: 1,
        stdout: 'unhealthy: no answer within 300 ms\n',
      });
      console.log(
        `probe with --timeout 300 ended after ${probe.ms.toFixed(0)} ms`,
      );
      expect(sockets).toHaveLength(1);
      if (!sockets[0].closed) await once(sockets[0], 'close');
      expect(received).toMatch(/^GET \/health HTTP\/1\.1\r\n/);
      expect(received.toLowerCase()).toContain('connection: close');
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('exits 1 at the timeout when the headers come and the body never ends', async () => {
    const url = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(200, { 'Content-Type': 'application/json' });
        response.write('{"results":[');
      }),
    );
    expect(await runProbe(url, '--timeout', '300')).toMatchObject({
      code: 1,
      stdout: 'unhealthy: HTTP 200 but the body did not end within 300 ms\n',
    });
  });

  it('exits 1 for a non-2xx answer of a plain server and never prints its body', async () => {
    const url = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(500, { 'Content-Type': 'text/plain' });
        response.end('Error: password=hunter2 at Database.connect');
      }),
    );
    expect(await runProbe(url)).toMatchObject({
      code: 1,
      stdout: 'unhealthy: HTTP 500\n',
    });
  });

  it('exits 0 for a 2xx answer of a plain server that is not a report', async () => {
    const url = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(204);
        response.end();
      }),
    );
    expect(await runProbe(url)).toMatchObject({
      code: 0,
      stdout: 'healthy: HTTP 204\n',
    });
  });

  it('stops reading a body over 1 MiB and decides on the status', async () => {
    let written = 0;
    const url = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(503, { 'Content-Type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, ' ');
        // Writes for as long as the client reads: 64 MiB at most, far more than the probe may take in.
        const pump = () => {
          while (written < 64 * 1024 * 1024) {
            written += chunk.length;
            if (!response.write(chunk))
              return void response.once('drain', pump);
          }
          response.end();
        };
        response.on('error', () => undefined);
        pump();
      }),
    );
    const probe = await runProbe(url);
    expect(probe).toMatchObject({
      code: 1,
      stdout: 'unhealthy: HTTP 503, body over 1048576 bytes left unread\n',
    });
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it('exits 1 at once for a 101 answer, which ends HTTP on the connection', async () => {
    const sockets: Socket[] = [];
    const switching = createNetServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => undefined);
      socket.once('data', () =>
        socket.write(
          'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
        ),
      );
    });
    switching.listen(0, '127.0.0.1');
    await once(switching, 'listening');
    const { port } = switching.address() as { port: number };
    try {
      const probe = await runProbe(
        `http://127.0.0.1:${port}/health`,
        '--timeout',
        '3000',
      );
      expect(probe).toMatchObject({ code: 1, stdout: 'unhealthy: HTTP 101\n' });
      console.log(`probe of a 101 answer: ${probe.ms.toFixed(0)} ms`);
      expect(sockets).toHaveLength(1);
      if (!sockets[0].closed) await once(sockets[0], 'close');
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => switching.close(resolve));
    }
  });

  it('exits 1 when the server closes the connection before the body ends', async () => {
    const url = await listen(
      createHttpServer((_request, response) => {
        response.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': '100',
        });
        response.write('{"results":');
        setTimeout(() => response.socket?.destroy(), 20);
      }),
    );
    expect(await runProbe(url)).toMatchObject({
      code: 1,
      stdout:
        'unhealthy: HTTP 200 but the connection closed before the body ended\n',
    });
  });

  it('says the connection closed when the server closes it before the headers end', async () => {
    const closing = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\nContent-Ty'));
    });
    closing.listen(0, '127.0.0.1');
    await once(closing, 'listening');
    const { port } = closing.address() as { port: number };
    try {
      expect(await runProbe(`http://127.0.0.1:${port}/`)).toMatchObject({
        code: 1,
        stdout: 'unhealthy: connection closed before the answer ended\n',
      });
    } finally {
      await new Promise((resolve) => closing.close(resolve));
    }
  });

  it('decides on a whole answer even when bytes that are not HTTP follow it', async () => {
    const sloppy = createNetServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () =>
        socket.end(
          'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\nJUNK',
        ),
      );
    });
    sloppy.listen(0, '127.0.0.1');
    await once(sloppy, 'listening');
    const { port } = sloppy.address() as { port: number };
    try {
      expect(await runProbe(`http://127.0.0.1:${port}/`)).toMatchObject({
        code: 0,
        stdout: 'healthy: HTTP 200\n',
      });
    } finally {
      await new Promise((resolve) => sloppy.close(resolve));
    }
  });
});

describe('the probe command over https', () => {
  let directory: string | undefined;
  afterEach(async () => {
    await closeServers();
    if (directory) await rm(directory, { recursive: true, force: true });
    directory = undefined;
  });

  it('verifies the certificate, and trusts a private one given in NODE_EXTRA_CA_CERTS', async () => {
    directory = await tempDir('probe-tls');
    const key = join(directory, 'key.pem');
    const cert = join(directory, 'cert.pem');
    await run('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ]);
    const server = createHttpsServer(
      { key: await readFile(key), cert: await readFile(cert) },
      (_request, response) => {
        response.writeHead(503, { 'Content-Type': 'application/json' });
        response.end(
          JSON.stringify({
            status: 'failure',
            results: [{ checker: 'disk', passed: false, output: 'full' }],
          }),
        );
      },
    );
    const url = (await listen(server)).replace('http:', 'https:');
    expect(await runProbe(url)).toMatchObject({
      code: 1,
      stdout: 'unhealthy: TLS failed (DEPTH_ZERO_SELF_SIGNED_CERT)\n',
    });
    expect(
      await runProbeWith({ NODE_EXTRA_CA_CERTS: cert }, url),
    ).toMatchObject({
      code: 1,
      stdout: 'unhealthy: HTTP 503, failed checks: disk\n',
    });
  });
  it('says TLS failed for an https URL on a server that speaks plain HTTP', async () => {
    const url = await listen(
      createHttpServer((_request, response) => response.end()),
    );
    expect(await runProbe(url.replace('http:', 'https:'))).toMatchObject({
      code: 1,
      stdout: 'unhealthy: TLS failed (EPROTO)\n',
    });
  });
});

describe('the probe command with a command line it cannot use', () => {
  it.each([
    [[], 'a URL is needed'],
    [
      ['http://127.0.0.1:1/', '--timeout', 'soon'],
      '--timeout takes milliseconds',
    ],
    [['ftp://127.0.0.1/'], 'only http: and https: URLs'],
    [['http://127.0.0.1:1/', '--retries', '3'], 'unknown option --retries'],
    [
      ['http://user:p%E0ss@127.0.0.1:1/'],
      'the user name or password in the URL is not valid percent-encoding',
    ],
  ])(
    'exits 2 for %j and prints the reason and the usage on stderr',
    async (args, reason) => {
      const probe = await runProbe(...args);
      expect(probe.code).toBe(2);
      expect(probe.stdout).toBe('');
      expect(probe.stderr).toContain(`nestjs-healthcheck-probe: ${reason}`);
      expect(probe.stderr).toContain(
        'usage: nestjs-healthcheck-probe URL [--timeout MS]',
      );
      expect(probe.stderr).not.toMatch(/Error|\n\s+at /);
    },
  );

  it('never prints the password or the query of a URL it cannot read', async () => {
    const probe = await runProbe(
      'http://user:s3cret@127.0.0.1:99999/health?token=abc',
    );
    expect(probe.code).toBe(2);
    expect(probe.stderr).toContain('not a URL: …@127.0.0.1:99999/health?…');
    expect(probe.stderr).not.toMatch(/s3cret|token/);
  });

  it('prints the usage on stdout and exits 0 for --help', async () => {
    const probe = await runProbe('--help');
    expect(probe.code).toBe(0);
    expect(probe.stdout).toMatch(/^usage: nestjs-healthcheck-probe URL/);
  });
});
