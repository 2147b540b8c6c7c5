import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  serverHandle,
  spawnServer,
  type BrokerServer,
  type Spec,
} from './broker-servers.js';
import { freePort, tempDir } from './service-utils.js';

/** A server the suite runs as its own child process, on free loopback ports, in a temporary directory. */
export interface OwnServer extends BrokerServer {
  /** Established TCP connections the server holds on its port, from /proc/net/tcp. */
  connections(): Promise<number>;
}

/** ESTABLISHED sockets whose local port is `port` (the server's side of each connection). */
async function establishedOn(port: number): Promise<number> {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let count = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, localAddress, , state] = line.trim().split(/\s+/);
      if (state === '01' && localAddress?.endsWith(local)) count += 1;
    }
  }
  return count;
}

async function ownServer(
  name: string,
  dir: string,
  spec: Omit<Spec, 'startTimeoutMs'>,
): Promise<OwnServer> {
  const server = await serverHandle(spec.readyPort, dir, () =>
    spawnServer(name, dir, { ...spec, startTimeoutMs: 60_000 }),
  );
  return Object.assign(server, {
    connections: () => establishedOn(spec.readyPort),
  });
}

/** A single-member etcd (3.4) with its client and peer URLs on free loopback ports, ready once it has a leader. */
export async function startEtcd(): Promise<OwnServer> {
  const dir = await tempDir('etcd');
  const port = await freePort();
  const peerPort = await freePort();
  const client = `http://127.0.0.1:${port}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  return ownServer('etcd', dir, {
    command: 'etcd',
    readyPort: port,
    args: [
      '--name',
      't',
      '--data-dir',
      join(dir, 'data'),
      '--listen-client-urls',
      client,
      '--advertise-client-urls',
      client,
      '--listen-peer-urls',
      peer,
      '--initial-advertise-peer-urls',
      peer,
      '--initial-cluster',
      `t=${peer}`,
    ],
    ready: async () => {
      const response = await fetch(`${client}/health`, {
        signal: AbortSignal.timeout(2_000),
      });
      return (
        response.ok &&
        ((await response.json()) as { health?: unknown }).health === 'true'
      );
    },
  });
}

/** The root DN and password of the directory `startSlapd` serves. */
export const SLAPD_ROOT = {
  dn: 'cn=admin,dc=example,dc=com',
  password: 'secret',
} as const;

/** OpenLDAP's slapd in the foreground, one mdb database `dc=example,dc=com` with `SLAPD_ROOT` as its rootdn. */
export async function startSlapd(): Promise<OwnServer> {
  const dir = await tempDir('slapd');
  const port = await freePort();
  await mkdir(join(dir, 'db'));
  const config = join(dir, 'slapd.conf');
  await writeFile(
    config,
    [
      'include /etc/ldap/schema/core.schema',
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      `pidfile ${join(dir, 'slapd.pid')}`,
      'database mdb',
      'suffix "dc=example,dc=com"',
      `rootdn "${SLAPD_ROOT.dn}"`,
      `rootpw ${SLAPD_ROOT.password}`,
      `directory ${join(dir, 'db')}`,
      '',
    ].join('\n'),
  );
  return ownServer('slapd', dir, {
    command: 'slapd',
    readyPort: port,
    args: ['-f', config, '-h', `ldap://127.0.0.1:${port}/`, '-d', '0'],
  });
}
