import { jest } from '@jest/globals';
import {
  tlsChainExpired,
  tlsNotSpoken,
  tlsUntrusted,
  tlsExpiresSoon,
  tlsExpired,
  tlsHandshakeFailed,
  tlsNotYetValid,
} from '../../lib/healthcheck.messages.js';
import { checkTls, tlsChecks } from '../../lib/ready-checks/tls/index.js';
import {
  eventually,
  openTcpSockets,
} from '../fixtures/ready-checks/open-sockets.js';
import { buildCheck, runUntil, runWithTimeout } from './broker-servers.js';
import { expectTimeouts, runManyTimes } from './ready-check-runs.js';
import { startInProcessServer } from './service-utils.js';
import {
  makeCertificates,
  startSilentServer,
  startTlsServer,
  type KeyPair,
  type TestCertificates,
  type TestTlsServer,
} from './tls-servers.js';

const { tls } = tlsChecks;

const escape = (text: string): string =>
  text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);
/** A run's time-out where the run is expected to answer: only a guard against a hang. */
const ANSWER_MS = 10_000;

let certificates: TestCertificates;
const servers: TestTlsServer[] = [];

async function serve(pair: KeyPair): Promise<TestTlsServer> {
  const server = await startTlsServer(pair);
  servers.push(server);
  return server;
}

beforeAll(async () => {
  certificates = await makeCertificates();
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await certificates?.dispose();
});

describe('checks.tls against node TLS servers with openssl-made certificates', () => {
  it('passes on a certificate from the given CA with a year left, and gives the days left as a metric', async () => {
    const server = await serve(certificates.valid);
    const outcome = await checkTls({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
      ca: certificates.ca,
    });
    expect(outcome).toEqual({
      passed: true,
      output: expect.stringMatching(
        new RegExp(
          `^TLS certificate of 127\\.0\\.0\\.1:${server.port} \\(CN=localhost, issued by CN=Healthcheck Test CA\\) ` +
            'expires on \\d{4}-\\d\\d-\\d\\d, 36[45] days left$',
        ),
      ),
      observedValue: expect.any(Number),
      observedUnit: 'days',
    });
    expect([364, 365]).toContain(outcome.observedValue);
  });

  it('matches the IP address itself when no servername is given (IP subjectAltName)', async () => {
    const server = await serve(certificates.valid);
    const outcome = await checkTls({
      url: `https://127.0.0.1:${server.port}`,
      ca: [certificates.ca],
    });
    expect(outcome.passed).toBe(true);
  });

  it('fails without the CA: the default roots do not trust it, and the output says why', async () => {
    const server = await serve(certificates.valid);
    const outcome = await checkTls({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatch(
      /\) is not trusted \(its issuer is not among the trusted roots and the server did not send it: UNABLE_TO_VERIFY_LEAF_SIGNATURE\); it expires on \d{4}-\d\d-\d\d, 36[45] days left$/,
    );
  });

  it('trusts the `ca` given to the builder, whose context is made once', async () => {
    const server = await serve(certificates.valid);
    const check = buildCheck(
      tls('own-ca', {
        host: 'localhost',
        port: server.port,
        ca: certificates.ca,
      }),
    );
    for (let i = 0; i < 2; i += 1) {
      expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
    }
  });

  it('fails on a certificate with 3 days left under the default 14, and still reads its expiry', async () => {
    const server = await serve(certificates.expiring);
    const outcome = await checkTls({
      host: 'localhost',
      port: server.port,
      ca: certificates.ca,
    });
    expect(outcome).toMatchObject({ passed: false, observedUnit: 'days' });
    expect([2, 3]).toContain(outcome.observedValue);
    expect(outcome.output).toContain(tlsExpiresSoon(14));
    expect(outcome.output).toMatch(
      /; it expires on \d{4}-\d\d-\d\d, [23] days left$/,
    );
    // minValidDays: 1 lets it pass.
    const relaxed = await checkTls({
      host: 'localhost',
      port: server.port,
      ca: certificates.ca,
      minValidDays: 1,
    });
    expect(relaxed.passed).toBe(true);
  });

  it('fails on an expired certificate, with its expiry date and the days since', async () => {
    const server = await serve(certificates.expired);
    const outcome = await checkTls({
      host: 'localhost',
      port: server.port,
      ca: certificates.ca,
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatch(
      new RegExp(
        `^TLS certificate of localhost:${server.port} \\(CN=localhost, issued by CN=Healthcheck Test CA\\) ` +
          `${tlsExpired}; it expired on 2020-02-01, \\d+ days ago$`,
      ),
    );
    expect(outcome.observedValue).toBeLessThan(-365);
  });

  it('fails on a chain whose intermediate has expired, naming it, though the server certificate is within its dates', async () => {
    const server = await serve(certificates.expiredIntermediate);
    const outcome = await checkTls({
      host: 'localhost',
      port: server.port,
      ca: certificates.ca,
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatch(
      new RegExp(
        `^TLS certificate of localhost:${server.port} \\(CN=localhost, issued by CN=Expired Intermediate CA\\) ` +
          `${escape(tlsUntrusted(tlsChainExpired('CN=Expired Intermediate CA', '2020-02-01', 'CERT_HAS_EXPIRED')))}; ` +
          `it expires on \\d{4}-\\d\\d-\\d\\d, 36[45] days left$`,
      ),
    );
    expect(outcome.observedValue).toBeGreaterThan(300);
  });

  it('fails on a certificate that is not valid yet', async () => {
    const server = await serve(certificates.notYetValid);
    const outcome = await checkTls({
      host: 'localhost',
      port: server.port,
      ca: certificates.ca,
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toContain(tlsNotYetValid('2035-01-01'));
    expect(outcome.output).toMatch(
      /; it expires on 2036-01-01, \d+ days left$/,
    );
  });

  it('fails on a certificate for another host name, naming both', async () => {
    const server = await serve(certificates.wrongHost);
    const outcome = await checkTls({
      host: '127.0.0.1',
      port: server.port,
      servername: 'localhost',
      ca: certificates.ca,
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatch(
      /\(CN=wrong\.example, issued by CN=Healthcheck Test CA\) is not valid for localhost \(.*wrong\.example.*\); it expires on/,
    );
  });

  it('fails on a self-signed certificate even when it matches the host', async () => {
    const server = await serve(certificates.selfSigned);
    const outcome = await checkTls({
      host: 'localhost',
      port: server.port,
      ca: certificates.ca,
    });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatch(
      /\(CN=localhost, self-issued\) is not trusted \(it is self-signed: DEPTH_ZERO_SELF_SIGNED_CERT\); it expires on/,
    );
  });

  it('fails on a port that answers in plain text, saying the server does not speak TLS there', async () => {
    const plain = await startInProcessServer((socket) =>
      socket.end('220 mail.example.com ESMTP\r\n'),
    );
    try {
      const outcome = await checkTls({ host: '127.0.0.1', port: plain.port });
      expect(outcome).toEqual({
        passed: false,
        output: tlsHandshakeFailed(
          `127.0.0.1:${plain.port}`,
          tlsNotSpoken('ERR_SSL_WRONG_VERSION_NUMBER'),
        ),
      });
    } finally {
      await plain.close();
    }
  });

  it('fails when nothing listens, saying the handshake could not start', async () => {
    const server = await serve(certificates.valid);
    const port = server.port;
    await server.stop();
    const outcome = await checkTls({
      host: '127.0.0.1',
      port,
      ca: certificates.ca,
    });
    expect(outcome).toEqual({
      passed: false,
      output: tlsHandshakeFailed(
        `127.0.0.1:${port}`,
        `connect ECONNREFUSED 127.0.0.1:${port}`,
      ),
    });
  });
});

describe('checks.tls: up, down, hang, back and no leak', () => {
  let server: TestTlsServer;
  let check: ReturnType<typeof buildCheck>;

  beforeAll(async () => {
    server = await serve(certificates.valid);
    check = buildCheck(
      tls('api-cert', {
        host: '127.0.0.1',
        port: server.port,
        servername: 'localhost',
        ca: certificates.ca,
      }),
    );
  });

  it('closes every connection: 1,000 runs leave none open on either side', async () => {
    const socketsBefore = openTcpSockets();
    const acceptedBefore = server.accepted;
    await runManyTimes(check, { timeoutMs: ANSWER_MS, label: 'tls' });
    expect(server.accepted - acceptedBefore).toBe(1_000);
    expect(
      await eventually(async () => (await server.connections()) === 0),
    ).toBe(true);
    expect(await eventually(() => openTcpSockets() <= socketsBefore)).toBe(
      true,
    );
  });

  it('fails with a clear output while the server is down, and passes again when it is back on its port', async () => {
    expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
    await server.stop();
    const down = await runWithTimeout(check, ANSWER_MS);
    expect(down).toMatchObject({
      passed: false,
      output: tlsHandshakeFailed(
        `127.0.0.1:${server.port}`,
        `connect ECONNREFUSED 127.0.0.1:${server.port}`,
      ),
    });
    await server.start();
    expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
      passed: true,
    });
  });

  it('fails at the time-out against a server that accepts and never answers, and closes its socket', async () => {
    const silent = await startSilentServer();
    try {
      const hung = buildCheck(
        tls('silent', {
          host: '127.0.0.1',
          port: silent.port,
          ca: certificates.ca,
        }),
      );
      await expectTimeouts(hung, { runs: 3 });
      // The check's sockets are gone: the server sees every connection closed.
      expect(await eventually(() => silent.connections() === 0)).toBe(true);
      // The same run, through .run with the signal: the output names the server.
      const signal = AbortSignal.abort(
        new DOMException('timed out after 5 ms', 'TimeoutError'),
      );
      expect(
        await checkTls({ host: '127.0.0.1', port: silent.port }, { signal }),
      ).toEqual({
        passed: false,
        output: tlsHandshakeFailed(
          `127.0.0.1:${silent.port}`,
          'timed out after 5 ms',
        ),
      });
    } finally {
      await silent.close();
    }
    expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
  });
});
