import {
  createServer,
  type AddressInfo,
  type Server,
  type Socket,
} from 'node:net';
import {
  invalidCheckOption,
  readyCheckMissingOption,
  roundTripFailed,
  smtpOptionsConflict,
  unknownCheckOption,
} from '../../../lib/healthcheck.messages.js';
import { checkSmtp, mailChecks } from '../../../lib/ready-checks/mail/index.js';
import {
  describeReply,
  offersExtension,
  parseReply,
} from '../../../lib/ready-checks/mail/smtp-reply.js';
import { describeValue } from '../../../lib/serialization/describe-value.js';
import { eventually } from '../../fixtures/ready-checks/open-sockets.js';
import { passThrough } from '../../support/ready-check.helpers.js';

const { smtp } = mailChecks;

describe('SMTP replies', () => {
  it('reads a one-line reply and keeps what follows', () => {
    expect(parseReply('220 mail ESMTP ready\r\n250 next')).toEqual({
      reply: { code: 220, lines: ['mail ESMTP ready'] },
      rest: '250 next',
    });
  });

  it('reads a multi-line reply only once its last line has come', () => {
    const partial = '250-mail Hello\r\n250-STARTTLS\r\n';
    expect(parseReply(partial)).toBeUndefined();
    expect(parseReply(`${partial}250 HELP\r\n`)).toEqual({
      reply: { code: 250, lines: ['mail Hello', 'STARTTLS', 'HELP'] },
      rest: '',
    });
    expect(parseReply('250 HEL')).toBeUndefined();
  });

  it('takes a bare code and a LF-only line end', () => {
    expect(parseReply('221\n')).toEqual({
      reply: { code: 221, lines: [''] },
      rest: '',
    });
  });

  it('refuses a line that is not a reply, quoting it', () => {
    expect(() => parseReply('HTTP/1.1 400 Bad Request\r\n')).toThrow(
      'the server does not speak SMTP: it sent "HTTP/1.1 400 Bad Request"',
    );
  });

  it('finds an EHLO extension by its keyword, not in the greeting line', () => {
    const ehlo = {
      code: 250,
      lines: ['STARTTLS is not a keyword here', 'SIZE 1000', 'starttls'],
    };
    expect(offersExtension(ehlo, 'STARTTLS')).toBe(true);
    expect(offersExtension(ehlo, 'SIZE')).toBe(true);
    expect(
      offersExtension({ code: 250, lines: ['STARTTLS greeting'] }, 'STARTTLS'),
    ).toBe(false);
  });

  it('quotes the first line of a reply', () => {
    expect(
      describeReply({ code: 554, lines: ['5.7.1 no service', 'more'] }),
    ).toBe('"554 5.7.1 no service"');
  });

  it('masks a password the server put in its reply, as .run() outputs are not scrubbed by the module', () => {
    expect(
      describeReply({
        code: 554,
        lines: [
          'relay down: smtp://relay:hunter2@mx.internal password=hunter2',
        ],
      }),
    ).toBe('"554 relay down: smtp://relay:***@mx.internal password=***"');
  });

  it('masks a password before cutting a long reply, so a URL cut short still shows none', () => {
    const described = describeReply({
      code: 421,
      lines: [`${'x'.repeat(100)} smtp://relay:hunter2@mx.internal`],
    });
    expect(described).not.toContain('hunt');
    expect(described.endsWith('…"')).toBe(true);
  });
});

/** A scripted server: `answer` returns what to write for each line the client sends, or null to stay silent. */
async function scripted(
  greeting: string | null,
  answer: (line: string) => string | null,
): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      for (
        let end = text.indexOf('\r\n');
        end !== -1;
        end = text.indexOf('\r\n')
      ) {
        const reply = answer(text.slice(0, end));
        text = text.slice(end + 2);
        if (reply !== null) socket.write(reply);
      }
    });
    if (greeting !== null) socket.write(greeting);
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  return { port: (server.address() as AddressInfo).port, server, sockets };
}

describe('checks.smtp own session against scripted servers', () => {
  const servers: Server[] = [];
  afterAll(async () => {
    for (const server of servers) {
      server.close();
    }
  });
  const start = async (
    greeting: string | null,
    answer: (line: string) => string | null,
  ) => {
    const started = await scripted(greeting, answer);
    servers.push(started.server);
    return started;
  };

  it('says EHLO with its address literal and QUITs', async () => {
    const lines: string[] = [];
    const { port } = await start('220 ok\r\n', (line) => {
      lines.push(line);
      return line === 'QUIT' ? '221 bye\r\n' : '250 ok\r\n';
    });
    expect((await checkSmtp({ host: '127.0.0.1', port })).passed).toBe(true);
    expect(lines).toEqual(['EHLO [127.0.0.1]', 'QUIT']);
  });

  it('fails on a greeting other than 220, quoting it', async () => {
    const { port } = await start('554 5.3.2 not now\r\n', () => null);
    expect(await checkSmtp({ host: '127.0.0.1', port })).toEqual({
      passed: false,
      output: `smtp at 127.0.0.1:${port}: the greeting was "554 5.3.2 not now", expected 220`,
    });
  });

  it('fails when EHLO is refused', async () => {
    const { port } = await start('220 ok\r\n', () => '550 go away\r\n');
    expect(await checkSmtp({ host: '127.0.0.1', port })).toEqual({
      passed: false,
      output: `smtp at 127.0.0.1:${port}: the answer to EHLO was "550 go away", expected 250`,
    });
  });

  it('fails on a server that does not speak SMTP', async () => {
    const { port } = await start('SSH-2.0-OpenSSH_9.2\r\n', () => null);
    expect(await checkSmtp({ host: '127.0.0.1', port })).toEqual({
      passed: false,
      output: `smtp at 127.0.0.1:${port}: the server does not speak SMTP: it sent "SSH-2.0-OpenSSH_9.2" (waiting for the greeting)`,
    });
  });

  it('fails when the server closes before greeting', async () => {
    const { port, server } = await start(null, () => null);
    server.on('connection', (socket: Socket) => socket.end());
    expect(await checkSmtp({ host: '127.0.0.1', port })).toEqual({
      passed: false,
      output: `smtp at 127.0.0.1:${port}: the server closed the connection (waiting for the greeting)`,
    });
  });

  it('fails at the abort, naming the step it waited for, and closes its socket', async () => {
    const { port, sockets } = await start('220 ok\r\n', () => null);
    const signal = AbortSignal.timeout(100);
    const outcome = await checkSmtp({ host: '127.0.0.1', port }, { signal });
    expect(outcome.passed).toBe(false);
    expect(outcome.output).toMatch(
      new RegExp(
        `^smtp at 127\\.0\\.0\\.1:${port}: .+ \\(waiting for the answer to EHLO\\)$`,
      ),
    );
    expect(await eventually(() => sockets.size === 0)).toBe(true);
  });
});

describe('checks.smtp with a transporter', () => {
  it('calls verify() and words its rejection with the transport target', async () => {
    const transporter = {
      verify: () => Promise.reject(new Error('Invalid login: 535 5.7.8')),
      sendMail: () => undefined,
      transporter: { options: { host: 'mail.internal', port: 587 } },
    };
    expect(await checkSmtp(transporter)).toEqual({
      passed: false,
      output: roundTripFailed(
        'SMTP verify()',
        'smtp at mail.internal:587',
        'Invalid login: 535 5.7.8',
      ),
    });
  });

  it('resolves the transporter at bootstrap and runs verify() on each run', async () => {
    let calls = 0;
    const transporter = {
      verify: () => {
        calls += 1;
        return Promise.resolve(true);
      },
      sendMail: () => undefined,
    };
    const run = smtp('mail', { transporter }).build(passThrough);
    const outcome = (await run({ signal: new AbortController().signal })) as {
      passed: boolean;
    };
    expect(outcome.passed).toBe(true);
    expect(calls).toBe(1);
  });
});

describe('checks.smtp options', () => {
  const where = "checks.smtp('mail')";

  it('refuses a URL given as host, without repeating its password', () => {
    expect(() =>
      smtp('mail', { host: 'smtp://bob:hunter2@mail', port: 25 }),
    ).toThrow(
      invalidCheckOption(
        where,
        'host',
        `a host name or IP address, e.g. 'mail.internal' (or give "transporter": a nodemailer transporter (what createTransport() returns))`,
        "the string 'smtp://bob:***@mail'",
      ),
    );
  });

  it('needs a transporter or host and port', () => {
    expect(() => smtp('mail', { port: 25 })).toThrow(
      invalidCheckOption(
        where,
        'host',
        `a host name or IP address, e.g. 'mail.internal' (or give "transporter": a nodemailer transporter (what createTransport() returns))`,
        describeValue(undefined),
      ),
    );
    expect(() => smtp('mail', { host: 'mail' })).toThrow(
      invalidCheckOption(
        where,
        'port',
        'an integer port between 1 and 65535, e.g. 25 or 587',
        describeValue(undefined),
      ),
    );
    expect(() =>
      smtp('mail', { transporter: null }).build(passThrough),
    ).toThrow(
      readyCheckMissingOption(
        'smtp',
        'transporter',
        'a nodemailer transporter (what createTransport() returns)',
      ),
    );
  });

  it('refuses host or port beside a transporter', () => {
    expect(() =>
      smtp('mail', { transporter: 'MAILER', host: 'mail', port: 25 }),
    ).toThrow(smtpOptionsConflict(where, 'host'));
  });

  it('refuses ca and servername without starttls, and a bad starttls', () => {
    expect(() =>
      smtp('mail', { host: 'mail', port: 25, servername: 'mail' }),
    ).toThrow(
      invalidCheckOption(
        where,
        'servername',
        'to be given with "starttls: true" (it applies to STARTTLS only)',
        describeValue('mail'),
      ),
    );
    expect(() =>
      smtp('mail', { host: 'mail', port: 25, starttls: 'yes' as never }),
    ).toThrow(
      invalidCheckOption(
        where,
        'starttls',
        'true or false',
        describeValue('yes'),
      ),
    );
  });

  it('refuses an unknown option', () => {
    expect(() =>
      smtp('mail', { host: 'mail', port: 25, tls: true } as never),
    ).toThrow(
      unknownCheckOption(where, 'tls', [
        'transporter',
        'host',
        'port',
        'starttls',
        'ca',
        'servername',
      ]),
    );
  });
});
