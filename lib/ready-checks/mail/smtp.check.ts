import { connect, isIP } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import {
  smtpAnswered,
  smtpFailed,
  smtpNoStarttls,
  smtpOptionsConflict,
  smtpUnexpectedReply,
} from '../../healthcheck.messages.js';
import type { CommonCheckOptions } from '../health-check.definition.js';
import { abortable } from '../shared/abortable.js';
import { clientOption } from '../shared/client-option.js';
import { describeHandshakeError } from '../tls/handshake-error.describer.js';
import { detachedProbe } from '../shared/earlier-probe.js';
import {
  isHost,
  isNonEmptyString,
  isPort,
  OwnOptions,
} from '../shared/own-options.validator.js';
import { elapsedMs, roundMs } from '../shared/quantity.format.js';
import { readyCheck } from '../shared/ready-check.js';
import { neverRejecting } from '../shared/runnable-ready-check.js';
import type {
  ReadyCheckOutcome,
  ReadyCheckRunOptions,
} from '../shared/ready-check.outcome.js';
import { timedRoundTrip } from '../shared/round-trip.js';
import {
  isCertificates,
  trustedRoots,
  type TlsCertificates,
} from '../tls/tls.check.js';
import { SmtpConversation } from './smtp-conversation.js';
import { describeReply, offersExtension } from './smtp-reply.js';
import {
  isSmtpTransporter,
  SMTP_TRANSPORTER_EXPECTED,
  transporterTarget,
  type SmtpTransporterLike,
} from './smtp-transporter.js';

/** Options of `checks.smtp`: a `transporter`, or `host` and `port` for a session of the check's own. */
export interface SmtpCheckOptions {
  /** A nodemailer transporter, or its DI token: the check calls its `verify()`. */
  transporter?: unknown;
  /** The SMTP server to talk to, on a connection of the check's own. */
  host?: string;
  /** Its port, e.g. 25 or 587. */
  port?: number;
  /** Upgrades the session with STARTTLS after EHLO (fails when it is not offered) and says EHLO again. */
  starttls?: boolean;
  /** Root certificates (PEM) trusted for STARTTLS besides the default roots. */
  ca?: TlsCertificates;
  /** The name the server's certificate must match for STARTTLS. Default: the host. */
  servername?: string;
}

/** What `checks.smtp.run()` takes as its first argument: a transporter, or the options of a session. */
export interface SmtpServerOptions {
  /** The SMTP server to talk to. */
  host: string;
  /** Its port, e.g. 25 or 587. */
  port: number;
  /** Upgrades the session with STARTTLS after EHLO and says EHLO again. */
  starttls?: boolean;
  /** Root certificates (PEM) trusted for STARTTLS besides the default roots. */
  ca?: TlsCertificates;
  /** The name the server's certificate must match for STARTTLS. Default: the host. */
  servername?: string;
  /** Aborts the session and destroys its socket. */
  signal?: AbortSignal;
}

const VERIFY = 'SMTP verify()';

/**
 * With a nodemailer transporter: calls `verify()` (nodemailer connects, says EHLO, upgrades to TLS and logs in
 * as configured, then quits). It takes no signal, so an abort only stops the wait; until that `verify()` ends
 * (nodemailer's own greeting and connection time-outs bound it) the next run waits for it rather than start
 * another. With `host` and `port`: a session of its own (greeting 220, EHLO 250, STARTTLS if asked, QUIT), on
 * a socket destroyed when the run ends or aborts. The observed value is the time taken in ms.
 */
export function checkSmtp(
  transporterOrServer: SmtpTransporterLike | SmtpServerOptions,
  extra?: ReadyCheckRunOptions,
): Promise<ReadyCheckOutcome> {
  if (isSmtpTransporter(transporterOrServer)) {
    const transporter = transporterOrServer;
    const signal = extra?.signal;
    return timedRoundTrip(
      VERIFY,
      () => transporterTarget(transporter),
      signal,
      () =>
        detachedProbe(transporter, VERIFY, signal, () => transporter.verify()),
    );
  }
  const server = transporterOrServer;
  return smtpSession(
    server,
    extra?.signal ?? server.signal,
    server.starttls && server.ca !== undefined
      ? createSecureContext({ ca: trustedRoots(server.ca) })
      : undefined,
  );
}

async function smtpSession(
  server: Omit<SmtpServerOptions, 'signal'>,
  signal: AbortSignal | undefined,
  secureContext: SecureContext | undefined,
): Promise<ReadyCheckOutcome> {
  const { host, port } = server;
  const target = `smtp at ${host.includes(':') ? `[${host}]` : host}:${port}`;
  const started = performance.now();
  let step = 'while connecting';
  const socket = connect({ host, port });
  const session = new SmtpConversation(socket);
  const expect = async (
    what: string,
    code: number,
  ): Promise<Awaited<ReturnType<SmtpConversation['reply']>>> => {
    step = `waiting for ${what}`;
    const reply = await session.reply();
    if (reply.code !== code) {
      throw new UnexpectedReply(
        smtpUnexpectedReply(target, what, describeReply(reply), code),
      );
    }
    return reply;
  };
  const talk = async (): Promise<void> => {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    await expect('the greeting', 220);
    const greeting = `EHLO ${addressLiteral(socket.localAddress)}`;
    session.send(greeting);
    const ehlo = await expect('the answer to EHLO', 250);
    if (server.starttls) {
      if (!offersExtension(ehlo, 'STARTTLS')) {
        throw new UnexpectedReply(smtpNoStarttls(target));
      }
      session.send('STARTTLS');
      await expect('the answer to STARTTLS', 220);
      step = 'during the TLS handshake after STARTTLS';
      const servername = server.servername ?? host;
      await session.startTls({
        host,
        servername: isIP(servername) === 0 ? servername : undefined,
        secureContext,
      });
      session.send(greeting);
      await expect('the answer to EHLO after STARTTLS', 250);
    }
    session.send('QUIT');
    // The session ends at the server's 221 or its close; either way EHLO was answered.
    step = 'waiting for the answer to QUIT';
    await session.reply().catch(() => undefined);
  };
  try {
    await abortable(talk(), signal, () => session.close());
  } catch (error) {
    return {
      passed: false,
      output:
        error instanceof UnexpectedReply
          ? error.message
          : smtpFailed(target, step, describeHandshakeError(error, signal)),
    };
  } finally {
    session.close();
  }
  const ms = elapsedMs(started);
  return {
    passed: true,
    output: smtpAnswered(target, server.starttls === true, ms),
    observedValue: roundMs(ms),
    observedUnit: 'ms',
  };
}

class UnexpectedReply extends Error {}

/** The client's address as EHLO takes it when it has no name of its own: `[10.0.0.5]`, `[IPv6:::1]`. */
function addressLiteral(address: string | undefined): string {
  if (!address) return '[127.0.0.1]';
  const v4 = address.replace(/^::ffff:/, '');
  if (isIP(v4) === 4) return `[${v4}]`;
  return `[IPv6:${address}]`;
}

const SERVER_OPTIONS = [
  'host',
  'port',
  'starttls',
  'ca',
  'servername',
] as const;

function validate(options: OwnOptions): void {
  if (options.has('transporter')) {
    const beside = SERVER_OPTIONS.find((option) => options.has(option));
    if (beside) throw new Error(smtpOptionsConflict(options.where, beside));
    return;
  }
  options.check(
    'host',
    `a host name or IP address, e.g. 'mail.internal' (or give "transporter": ${SMTP_TRANSPORTER_EXPECTED})`,
    isHost,
    true,
  );
  options.check(
    'port',
    'an integer port between 1 and 65535, e.g. 25 or 587',
    isPort,
    true,
  );
  options.check(
    'starttls',
    'true or false',
    (value) => typeof value === 'boolean',
  );
  options.check(
    'ca',
    'a PEM certificate (string or Buffer) or a non-empty array of them',
    isCertificates,
  );
  for (const option of ['ca', 'servername'] as const) {
    if (options.has(option) && !options.has('starttls')) {
      options.fail(
        option,
        'to be given with "starttls: true" (it applies to STARTTLS only)',
      );
    }
  }
  options.check(
    'servername',
    "a host name, e.g. 'mail.example.com'",
    isNonEmptyString,
  );
}

const build = readyCheck<SmtpCheckOptions>(
  'smtp',
  ['transporter', ...SERVER_OPTIONS],
  (own, resolve) => {
    if (own.host === undefined) {
      const transporter = resolve(
        'transporter',
        clientOption('smtp', own, 'transporter', SMTP_TRANSPORTER_EXPECTED),
        isSmtpTransporter,
        SMTP_TRANSPORTER_EXPECTED,
      );
      return ({ signal }) => checkSmtp(transporter, { signal });
    }
    const server = own as SmtpServerOptions;
    // Built once: reading a few hundred roots costs more than the session.
    const secureContext =
      server.starttls && server.ca !== undefined
        ? createSecureContext({ ca: trustedRoots(server.ca) })
        : undefined;
    return ({ signal }) => smtpSession(server, signal, secureContext);
  },
);

/**
 * `checks.smtp(name, { transporter })`: a nodemailer transporter's `verify()`; `checks.smtp(name, { host, port,
 * starttls?, ca?, servername? })`: greeting, EHLO, STARTTLS if asked, QUIT, on a connection of its own.
 */
export const smtp = Object.assign(
  (name: string, options: SmtpCheckOptions & CommonCheckOptions) => {
    const given = new OwnOptions('smtp', name, options);
    const definition = build(name, options);
    validate(given);
    return definition;
  },
  { run: neverRejecting('smtp', checkSmtp) },
);
