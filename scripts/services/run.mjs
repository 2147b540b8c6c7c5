// `npm run test:services`: installs the database and broker servers that are missing (Debian/Ubuntu, apt-get),
// then runs the suites that start their own servers on free loopback ports (jest.services.config.js).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Each apt package and the file that tells it is installed. */
const SERVERS = [
  { pkg: 'postgresql', present: () => postgresBinary() !== undefined },
  { pkg: 'mariadb-server', present: () => onPath('mariadbd') },
  { pkg: 'redis-server', present: () => onPath('redis-server') },
  { pkg: 'rabbitmq-server', present: () => onPath('rabbitmq-server') },
  { pkg: 'nats-server', present: () => onPath('nats-server') },
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

function aptGet(args) {
  const result = spawnSync(
    'apt-get',
    ['-y', '-o', 'DPkg::Lock::Timeout=300', ...args],
    {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  if (result.error) return { ok: false, output: result.error.message };
  return {
    ok: result.status === 0,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
}

/** Package lists are missing or stale: apt cannot find the package or its files. */
const needsUpdate = (output) =>
  /Unable to locate package|has no installation candidate|Failed to fetch|404\s+Not Found/i.test(
    output,
  );

function install(packages) {
  console.log(`test:services: installing ${packages.join(', ')} (apt-get)`);
  let result = aptGet(['install', ...packages]);
  if (!result.ok && needsUpdate(result.output)) {
    console.log('test:services: package lists are missing; apt-get update');
    const update = aptGet(['update']);
    if (!update.ok) return update;
    result = aptGet(['install', ...packages]);
  }
  return result;
}

const missing = SERVERS.filter((server) => !server.present()).map(
  (server) => server.pkg,
);
if (missing.length > 0) {
  const result = install(missing);
  if (!result.ok) {
    console.error(result.output.split('\n').slice(-20).join('\n'));
    console.error(
      `test:services: could not install ${missing.join(', ')}. Install them (apt-get install -y ` +
        `${missing.join(' ')}, as root) and run again.`,
    );
    process.exit(1);
  }
}

const jest = spawnSync(
  process.execPath,
  [
    '--experimental-vm-modules',
    'node_modules/jest/bin/jest.js',
    '-c',
    'jest.services.config.js',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
process.exit(jest.status ?? 1);
