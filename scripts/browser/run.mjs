// `npm run test:browser`: installs Chromium when /usr/bin/chromium is missing (Debian/Ubuntu, apt-get), then runs
// the suites that drive it (jest.browser.config.js).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

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

if (!existsSync(CHROMIUM)) {
  console.log('test:browser: installing chromium (apt-get)');
  let result = aptGet(['install', 'chromium']);
  if (!result.ok && needsUpdate(result.output)) {
    console.log('test:browser: package lists are missing; apt-get update');
    const update = aptGet(['update']);
    if (update.ok) result = aptGet(['install', 'chromium']);
    else result = update;
  }
  if (!result.ok || !existsSync(CHROMIUM)) {
    console.error(result.output.split('\n').slice(-20).join('\n'));
    console.error(
      'test:browser: could not install Chromium. Install it (apt-get install -y chromium, as root) and run again.',
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
    'jest.browser.config.js',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
process.exit(jest.status ?? 1);
