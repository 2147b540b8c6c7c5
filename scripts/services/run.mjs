// `npm run test:services`: installs the database and broker servers that are missing (Debian/Ubuntu, apt-get),
// then runs the suites that start their own servers on free loopback ports (jest.services.config.js).
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { aptInstall, runJest } from '../system-suite.mjs';

/** Each apt package and the file that tells it is installed. */
const SERVERS = [
  { pkg: 'postgresql', present: () => postgresBinary() !== undefined },
  { pkg: 'mariadb-server', present: () => onPath('mariadbd') },
  { pkg: 'redis-server', present: () => onPath('redis-server') },
  { pkg: 'rabbitmq-server', present: () => onPath('rabbitmq-server') },
  { pkg: 'nats-server', present: () => onPath('nats-server') },
  { pkg: 'memcached', present: () => onPath('memcached') },
  { pkg: 'mosquitto', present: () => onPath('mosquitto') },
  { pkg: 'etcd-server', present: () => onPath('etcd') },
  { pkg: 'slapd', present: () => onPath('slapd') },
  { pkg: 'ldap-utils', present: () => onPath('ldapsearch') },
  { pkg: 'opensmtpd', present: () => onPath('smtpd') },
  { pkg: 'openssl', present: () => onPath('openssl') },
];

const SEARCH_PATH = [
  ...(process.env.PATH ?? '').split(delimiter),
  '/usr/sbin',
  '/sbin',
  '/usr/local/sbin',
];

function onPath(binary) {
  return SEARCH_PATH.some((dir) => dir && existsSync(join(dir, binary)));
}

function postgresBinary() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return onPath('postgres') ? 'postgres' : undefined;
  return readdirSync(root)
    .map((version) => join(root, version, 'bin', 'postgres'))
    .find((file) => existsSync(file));
}

const missing = SERVERS.filter((server) => !server.present()).map(
  (server) => server.pkg,
);
aptInstall('test:services', missing);
runJest('jest.services.config.js');
