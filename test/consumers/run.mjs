// Packs the library and installs the tarball into three fresh apps, each from its own lock file: Nest 12 as ES
// modules (tested with jest in ESM mode), Nest 12 as CommonJS (tested with node's test runner) and Nest 11 as
// CommonJS (tested with jest in CommonJS mode). Each app is built, booted by node on Express and on Fastify,
// then runs the probe command from the installed tarball against its own running app, and then runs its own
// test. Usage: node test/consumers/run.mjs [project ...]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { clearTimeout, setTimeout } from 'node:timers';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const projects = {
  'nest12-esm': 'app.jest.test.ts',
  'nest12-cjs': 'app.node.test.ts',
  'nest11-cjs': 'app.jest.test.ts',
};
const selected = process.argv.slice(2).length
  ? process.argv.slice(2)
  : Object.keys(projects);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const workspace = mkdtempSync(
  join(os.tmpdir(), 'nestjs-healthcheck-consumers-'),
);

function run(command, args, cwd, env = {}) {
  const result = spawnSync(command, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status})\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

function prepare(project, tarball) {
  const directory = join(workspace, project);
  cpSync(join(here, 'projects', project), directory, { recursive: true });
  cpSync(join(here, 'app', 'tsconfig.json'), join(directory, 'tsconfig.json'));
  const testFile = projects[project];
  for (const file of readdirSync(join(here, 'app', 'src'))) {
    if (file.endsWith('.test.ts') && file !== testFile) continue;
    cpSync(join(here, 'app', 'src', file), join(directory, 'src', file));
  }
  run(npm, ['ci', '--no-audit', '--no-fund'], directory);
  run(
    npm,
    ['install', '--no-save', '--no-audit', '--no-fund', tarball],
    directory,
  );
  run(npm, ['run', 'build'], directory);
  return directory;
}

// Boots the app's dist/serve.js (ES module or CommonJS) and keeps it up until its stdin ends.
const PROBE_TARGET = `const loaded = await import('./dist/serve.js');
const { serve } = loaded.serve ? loaded : loaded.default;
const { app, url } = await serve(process.env.PLATFORM);
process.stdout.write('LISTENING ' + url + '\\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  await app.close();
  process.exit(0);
});
`;
const PROBE_BIN = join(
  'node_modules',
  '.bin',
  process.platform === 'win32'
    ? 'nestjs-healthcheck-probe.cmd'
    : 'nestjs-healthcheck-probe',
);
const PROBE_SCRIPT = join(
  'node_modules',
  'nestjs-healthcheck',
  'bin',
  'nestjs-healthcheck-probe.mjs',
);

/** A loopback port that was free a moment ago: a probe of it finds nothing listening. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the app on the platform in a process of its own; answers its URL and a stop function. */
async function startApp(directory, platform) {
  writeFileSync(join(directory, 'probe-target.mjs'), PROBE_TARGET);
  const child = spawn(process.execPath, ['probe-target.mjs'], {
    cwd: directory,
    env: { ...process.env, PLATFORM: platform },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdin.end();
    await exited;
    clearTimeout(kill);
  };
  try {
    const url = await new Promise((resolve, reject) => {
      const limit = setTimeout(
        () => reject(new Error('the app did not listen within 30 s')),
        30_000,
      );
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (text) => {
        output += text;
        const match = /^LISTENING (\S+)$/m.exec(output);
        if (match) {
          clearTimeout(limit);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(limit);
        reject(new Error(`the app exited with ${code}: ${output}`));
      });
    });
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs the installed probe command, as `.bin` and as `node <path>`, against the app's routes. */
async function probeApp(project, directory, platform) {
  const app = await startApp(directory, platform);
  try {
    const missingPort = await freePort();
    const cases = [
      [PROBE_BIN, `${app.url}/healthcheck`, 0, 'healthy: HTTP 200\n'],
      [PROBE_SCRIPT, `${app.url}/healthcheck/ready`, 0, 'healthy: HTTP 200\n'],
      [PROBE_BIN, `${app.url}/healthcheck/missing`, 1, 'unhealthy: HTTP 404\n'],
      [
        PROBE_SCRIPT,
        `http://127.0.0.1:${missingPort}/healthcheck`,
        1,
        'unhealthy: connection refused (ECONNREFUSED)\n',
      ],
    ];
    for (const [command, url, code, line] of cases) {
      const [program, args] =
        command === PROBE_SCRIPT
          ? [process.execPath, [PROBE_SCRIPT, url]]
          : [command, [url]];
      const result = spawnSync(program, args, {
        cwd: directory,
        encoding: 'utf8',
        timeout: 15_000,
        shell: process.platform === 'win32' && command === PROBE_BIN,
      });
      if (result.status !== code || result.stdout !== line) {
        throw new Error(
          `${project} (${platform}): ${command} ${url} exited with ${result.status} and printed ` +
            `${JSON.stringify(result.stdout)} ${JSON.stringify(result.stderr)}; expected ${code} and ${JSON.stringify(line)}`,
        );
      }
    }
  } finally {
    await app.stop();
  }
}

async function check(project, tarball) {
  const directory = prepare(project, tarball);
  for (const platform of ['express', 'fastify']) {
    const output = run(process.execPath, ['dist/main.js'], directory, {
      PLATFORM: platform,
    });
    if (!output.includes(`ok ${platform}`))
      throw new Error(`${project}: node dist/main.js said ${output}`);
    await probeApp(project, directory, platform);
  }
  run(npm, ['test'], directory);
}

let failures = 0;
try {
  const packed = execFileSync(
    npm,
    ['pack', '--silent', '--pack-destination', workspace],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  const tarball = join(workspace, packed.trim().split('\n').at(-1));
  for (const project of selected) {
    const startedAt = Date.now();
    try {
      await check(project, tarball);
      console.log(
        `ok ${project}: booted on express and fastify, the probe command answered, its own test passed (${Date.now() - startedAt} ms)`,
      );
    } catch (error) {
      failures++;
      console.error(`not ok ${project}: ${error.message}`);
    }
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
console.log(`${selected.length - failures} passed, ${failures} failed`);
process.exitCode = failures ? 1 : 0;
