// Shared by the suites that need programs from Debian's packages (`test:services`, `test:browser`): installs
// what is missing with apt-get, then runs jest with the suite's config and exits with its code.
import { spawnSync } from 'node:child_process';

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

/**
 * Installs `packages` with one apt-get call (running `apt-get update` first only when the lists are missing);
 * exits the process with a message saying what to install when it cannot.
 */
export function aptInstall(label, packages) {
  if (packages.length === 0) return;
  console.log(`${label}: installing ${packages.join(', ')} (apt-get)`);
  let result = aptGet(['install', ...packages]);
  if (!result.ok && needsUpdate(result.output)) {
    console.log(`${label}: package lists are missing; apt-get update`);
    const update = aptGet(['update']);
    result = update.ok ? aptGet(['install', ...packages]) : update;
  }
  if (!result.ok) {
    console.error(result.output.split('\n').slice(-20).join('\n'));
    console.error(
      `${label}: could not install ${packages.join(', ')}. Install them (apt-get install -y ` +
        `${packages.join(' ')}, as root) and run again.`,
    );
    process.exit(1);
  }
}

/** Runs jest with `config` and the script's own arguments, and exits with its code. */
export function runJest(config) {
  const jest = spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      'node_modules/jest/bin/jest.js',
      '-c',
      config,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  process.exit(jest.status ?? 1);
}
