import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import {
  acceptsConnections,
  freeze,
  freePort,
  run,
  tempDir,
  startInProcessServer,
  waitFor,
  type InProcessServer,
  type OwnProcessServer,
} from './service-utils.js';
import type { KeyPair } from './tls-servers.js';

/**
 * OpenSMTPD run by the tests in the foreground, in a process group of its own: stop, pause and resume signal
 * every process of the group (stop waits until none is left; while paused, connections are accepted, nothing
 * answers).
 */
export interface SmtpServer extends OwnProcessServer {
  /** The established connections it holds on its port, as `ss` shows them. */
  connections(): Promise<number>;
}

const groups = new Set<number>();
// A suite that crashes before its afterAll still leaves no server behind.
process.once('exit', () => {
  for (const group of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** The pids left in process group `group`. */
async function processesIn(group: number): Promise<number[]> {
  const listing = await run('ps', ['-e', '-o', 'pid=,pgid=']);
  return listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, pgid]) => pgid === group && pid > 0)
    .map(([pid]) => pid);
}

/**
 * Starts `smtpd -d -f <config>` (OpenSMTPD) on a free loopback port, rejecting every message. Without TLS:
 * OpenSMTPD 6.8 as Debian 12 builds it fails every TLS handshake under OpenSSL 3 ("EVP lib"), so STARTTLS is
 * tested against `startStarttlsStandIn`.
 */
export async function startSmtpd(): Promise<SmtpServer> {
  const dir = await tempDir('smtpd');
  const port = await freePort();
  const config = join(dir, 'smtpd.conf');
  await writeFile(
    config,
    [
      `listen on 127.0.0.1 port ${port}`,
      'action "relay" relay',
      'match from any for any reject',
      '',
    ].join('\n'),
  );
  // smtpd refuses a configuration others can read.
  await chmod(config, 0o600);
  // OpenSMTPD looks up the client's name for every session (reverse, then forward) before its greeting, and
  // its resolver asks DNS first: a query the machine's DNS server drops holds the greeting for 5 s. Its
  // resolver reads /etc/resolv.conf only, so the server runs in a mount namespace of its own where that file
  // says `lookup file` (the hosts file alone); without unshare it runs as it is.
  await writeFile(join(dir, 'resolv.conf'), 'lookup file\n');
  const isolated = await run('unshare', ['-m', 'true']).then(
    () => true,
    () => false,
  );
  const [command, args] = isolated
    ? [
        'unshare',
        [
          '-m',
          'sh',
          '-c',
          `mount --bind "${join(dir, 'resolv.conf')}" /etc/resolv.conf && exec smtpd -d -f "${config}"`,
        ],
      ]
    : ['smtpd', ['-d', '-f', config]];
  const logFile = join(dir, 'smtpd.log');
  let child: ChildProcess | undefined;

  const launch = async (): Promise<void> => {
    const log = openSync(logFile, 'a');
    const started = spawn(command, args, {
      cwd: dir,
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    const group = started.pid;
    if (group === undefined) throw new Error('smtpd did not start');
    groups.add(group);
    let exited = false;
    started.once('exit', () => {
      exited = true;
    });
    child = started;
    try {
      await waitFor(
        `smtpd on 127.0.0.1:${port}`,
        async () => {
          if (exited) throw new Error('exited');
          return acceptsConnections(port);
        },
        30_000,
      );
    } catch (error) {
      await stop();
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-20);
      throw new Error(
        `smtpd did not start: ${(error as Error).message}\n${tail.join('\n')}`,
        { cause: error },
      );
    }
  };

  const stop = async (): Promise<void> => {
    const stopping = child;
    child = undefined;
    const group = stopping?.pid;
    if (!stopping || group === undefined) return;
    const signalGroup = (name: NodeJS.Signals): void => {
      try {
        process.kill(-group, name);
      } catch {
        // nothing left in the group
      }
    };
    signalGroup('SIGCONT');
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), 10_000);
    try {
      await waitFor(
        `the processes of smtpd group ${group} to end`,
        async () => (await processesIn(group)).length === 0,
        30_000,
      );
    } finally {
      clearTimeout(timer);
    }
    groups.delete(group);
  };

  await launch();
  return {
    port,
    connections: async () => {
      const listing = await run('ss', [
        '-Htn',
        'state',
        'established',
        `( sport = :${port} )`,
      ]);
      return listing.split('\n').filter((line) => line.trim() !== '').length;
    },
    stop,
    start: launch,
    pause: async () => {
      const group = child?.pid;
      if (group === undefined) throw new Error('smtpd is not running');
      const members = await processesIn(group);
      process.kill(-group, 'SIGSTOP');
      for (const pid of members) await freeze(pid);
    },
    resume: () => {
      const group = child?.pid;
      if (group === undefined) throw new Error('smtpd is not running');
      process.kill(-group, 'SIGCONT');
    },
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A small SMTP server in this process that offers STARTTLS with `pair`: greeting 220, EHLO 250 (with STARTTLS
 * until the session is secure), STARTTLS 220, QUIT 221, anything else 502.
 */
export function startStarttlsStandIn(pair: KeyPair): Promise<InProcessServer> {
  return startInProcessServer((plain) => {
    let stream: Socket = plain;
    let secure = false;
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      for (
        let end = text.indexOf('\r\n');
        end !== -1;
        end = text.indexOf('\r\n')
      ) {
        const line = text.slice(0, end);
        text = text.slice(end + 2);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'EHLO') {
          stream.write(
            secure
              ? '250-standin Hello\r\n250 HELP\r\n'
              : '250-standin Hello\r\n250-STARTTLS\r\n250 HELP\r\n',
          );
        } else if (verb === 'STARTTLS' && !secure) {
          stream.write('220 2.0.0 Ready to start TLS\r\n');
          stream.removeListener('data', onData);
          const upgraded = new TLSSocket(stream, { isServer: true, ...pair });
          upgraded.on('error', () => undefined);
          upgraded.on('data', onData);
          stream = upgraded;
          secure = true;
          text = '';
          return;
        } else if (verb === 'QUIT') {
          stream.end('221 2.0.0 Bye\r\n');
        } else {
          stream.write('502 5.5.2 Command not recognized\r\n');
        }
      }
    };
    plain.on('data', onData);
    plain.write('220 standin ESMTP\r\n');
  });
}
