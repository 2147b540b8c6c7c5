import { jest } from '@jest/globals';
import nodemailer from 'nodemailer';
import { earlierProbeUnanswered } from '../../lib/healthcheck.messages.js';
import { checkSmtp, mailChecks } from '../../lib/ready-checks/mail/index.js';
import {
  eventually,
  openTcpSockets,
} from '../fixtures/ready-checks/open-sockets.js';
import { buildCheck, runUntil, runWithTimeout } from './broker-servers.js';
import {
  expectTimeouts,
  runManyTimes,
  whileFrozen,
} from './ready-check-runs.js';
import {
  startSmtpd,
  startStarttlsStandIn,
  type SmtpServer,
} from './mail-servers.js';
import { makeCertificates, type TestCertificates } from './tls-servers.js';

const { smtp } = mailChecks;

// Budgets for a busy machine: a test is bounded by its runs and by the server, not raced against a clock.
jest.setTimeout(300_000);
/** A run's time-out where the run is expected to answer: only a guard against a hang. */
const ANSWER_MS = 10_000;

let certificates: TestCertificates;
let server: SmtpServer;
/** STARTTLS is proven against a stand-in: OpenSMTPD 6.8 on Debian 12 fails TLS handshakes under OpenSSL 3. */
let standIn: Awaited<ReturnType<typeof startStarttlsStandIn>>;

beforeAll(async () => {
  certificates = await makeCertificates();
  server = await startSmtpd();
  standIn = await startStarttlsStandIn(certificates.valid);
});

afterAll(async () => {
  await server?.dispose();
  await standIn?.close();
  await certificates?.dispose();
});

/** Aborted after `ms` the way the runner aborts a check at its timeout. */
function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(
    () =>
      controller.abort(
        new DOMException(`timed out after ${ms} ms`, 'TimeoutError'),
      ),
    ms,
  );
  return controller.signal;
}

const noConnectionsLeft = async (): Promise<boolean> =>
  eventually(async () => (await server.connections()) === 0, 300);

describe('checks.smtp with host and port against OpenSMTPD', () => {
  let check: ReturnType<typeof buildCheck>;

  beforeAll(() => {
    check = buildCheck(smtp('mail', { host: '127.0.0.1', port: server.port }));
  });

  it('passes when the server greets with 220 and answers EHLO with 250', async () => {
    const outcome = await checkSmtp({ host: '127.0.0.1', port: server.port });
    expect(outcome).toEqual({
      passed: true,
      output: expect.stringMatching(
        new RegExp(
          `^smtp at 127\\.0\\.0\\.1:${server.port}: EHLO answered 250 in \\d+\\.\\d ms$`,
        ),
      ),
      observedValue: expect.any(Number),
      observedUnit: 'ms',
    });
  });

  it('upgrades with STARTTLS (stand-in), verifying the certificate against the ca given, and says EHLO again', async () => {
    const outcome = await checkSmtp({
      host: '127.0.0.1',
      port: standIn.port,
      starttls: true,
      servername: 'localhost',
      ca: certificates.ca,
    });
    expect(outcome.output).toMatch(
      /: EHLO answered 250 after STARTTLS in \d+\.\d ms$/,
    );
    expect(outcome.passed).toBe(true);
  });

  it('fails when STARTTLS is asked for and the certificate is not trusted (stand-in), and closes both sockets', async () => {
    const outcome = await checkSmtp({
      host: '127.0.0.1',
      port: standIn.port,
      starttls: true,
      servername: 'localhost',
    });
    expect(outcome).toEqual({
      passed: false,
      output: `smtp at 127.0.0.1:${standIn.port}: unable to verify the first certificate (during the TLS handshake after STARTTLS)`,
    });
    expect(await eventually(() => standIn.connections() === 0)).toBe(true);
  });

  it('fails when STARTTLS is asked for and the server does not offer it', async () => {
    const outcome = await checkSmtp({
      host: '127.0.0.1',
      port: server.port,
      starttls: true,
    });
    expect(outcome).toEqual({
      passed: false,
      output: `smtp at 127.0.0.1:${server.port}: EHLO answered 250 but does not offer STARTTLS, which the check was told to use (starttls: true)`,
    });
  });

  it('closes every connection: 1,000 runs leave none open on either side', async () => {
    const socketsBefore = openTcpSockets();
    await runManyTimes(check, {
      timeoutMs: ANSWER_MS,
      label: 'smtp (own session)',
    });
    expect(await noConnectionsLeft()).toBe(true);
    expect(await eventually(() => openTcpSockets() <= socketsBefore)).toBe(
      true,
    );
  });

  it('fails at the time-out while the server is frozen, says what it waited for, and passes after SIGCONT', async () => {
    await whileFrozen(server, async () => {
      await expectTimeouts(check);
      expect(
        await checkSmtp(
          { host: '127.0.0.1', port: server.port },
          { signal: timeoutSignal(300) },
        ),
      ).toEqual({
        passed: false,
        output: `smtp at 127.0.0.1:${server.port}: timed out after 300 ms (waiting for the greeting)`,
      });
    });
    expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
      passed: true,
    });
    // The sockets of the abandoned runs were closed by the check; the server saw them go once it woke.
    expect(await noConnectionsLeft()).toBe(true);
  });

  it('fails with a clear output while the server is stopped, and passes again when it is back', async () => {
    expect((await runWithTimeout(check, ANSWER_MS)).passed).toBe(true);
    await server.stop();
    const down = await runWithTimeout(check, ANSWER_MS);
    expect(down).toMatchObject({
      passed: false,
      output: `smtp at 127.0.0.1:${server.port}: connect ECONNREFUSED 127.0.0.1:${server.port} (while connecting)`,
    });
    await server.start();
    expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
      passed: true,
    });
  });
});

describe('checks.smtp with a nodemailer transporter against OpenSMTPD', () => {
  let transporter: ReturnType<typeof nodemailer.createTransport>;
  let check: ReturnType<typeof buildCheck>;

  beforeAll(() => {
    transporter = nodemailer.createTransport({
      host: '127.0.0.1',
      port: server.port,
      secure: false,
    });
    check = buildCheck(smtp('mail', { transporter }));
  });

  afterAll(() => transporter?.close());

  it('passes when verify() succeeds, with the time it took', async () => {
    const outcome = await checkSmtp(transporter);
    expect(outcome).toEqual({
      passed: true,
      output: expect.stringMatching(/^SMTP verify\(\) answered in \d+\.\d ms$/),
      observedValue: expect.any(Number),
      observedUnit: 'ms',
    });
  });

  it('passes through a transporter that upgrades with STARTTLS (stand-in) and trusts the test CA', async () => {
    const secure = nodemailer.createTransport({
      host: '127.0.0.1',
      port: standIn.port,
      requireTLS: true,
      tls: { ca: certificates.ca, servername: 'localhost' },
    });
    try {
      expect((await checkSmtp(secure)).passed).toBe(true);
      const untrusted = nodemailer.createTransport({
        host: '127.0.0.1',
        port: standIn.port,
        requireTLS: true,
        tls: { servername: 'localhost' },
      });
      const outcome = await checkSmtp(untrusted);
      expect(outcome).toEqual({
        passed: false,
        output: `SMTP verify() against smtp at 127.0.0.1:${standIn.port} failed: unable to verify the first certificate`,
      });
    } finally {
      secure.close();
    }
  });

  it('leaves no connection behind after 1,000 runs', async () => {
    await runManyTimes(check, {
      timeoutMs: ANSWER_MS,
      label: 'smtp (nodemailer verify)',
    });
    expect(await noConnectionsLeft()).toBe(true);
  });

  it('fails at the time-out while the server is frozen, piles no second verify() on it, and passes after SIGCONT', async () => {
    await whileFrozen(server, async () => {
      const first = await runWithTimeout(check, 300);
      expect(first).toMatchObject({
        passed: false,
        output: 'timed out after 300 ms',
      });
      // The abandoned verify() is still waiting for the greeting: the next run waits for it, not a new one.
      const second = await checkSmtp(transporter, {
        signal: timeoutSignal(300),
      });
      expect(second.passed).toBe(false);
      const [before, after] = earlierProbeUnanswered(
        'SMTP verify()',
        'timed out after 300 ms',
        0,
      ).split('0.0 s');
      expect(second.output).toMatch(
        new RegExp(
          `^SMTP verify\\(\\) against smtp at 127\\.0\\.0\\.1:${server.port} failed: ` +
            `${escape(before)}\\d+\\.\\d s${escape(after)}$`,
        ),
      );
    });
    expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
      passed: true,
    });
    expect(await noConnectionsLeft()).toBe(true);
  });

  it('fails with a clear output while the server is stopped, and passes again with the same transporter', async () => {
    await server.stop();
    const down = await runWithTimeout(check, ANSWER_MS);
    expect(down).toMatchObject({
      passed: false,
      output: `SMTP verify() against smtp at 127.0.0.1:${server.port} failed: connect ECONNREFUSED 127.0.0.1:${server.port}`,
    });
    await server.start();
    expect(await runUntil(check, (outcome) => outcome.passed)).toMatchObject({
      passed: true,
    });
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
