// Packs the library and installs the tarball into three fresh apps, each from its own lock file: Nest 12 as ES
// modules (tested with jest in ESM mode), Nest 12 as CommonJS (tested with node's test runner) and Nest 11 as
// CommonJS (tested with jest in CommonJS mode). Each app is built, booted by node on Express and on Fastify,
// and then runs its own test. Usage: node test/consumers/run.mjs [project ...]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
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

function check(project, tarball) {
  const directory = prepare(project, tarball);
  for (const platform of ['express', 'fastify']) {
    const output = run(process.execPath, ['dist/main.js'], directory, {
      PLATFORM: platform,
    });
    if (!output.includes(`ok ${platform}`))
      throw new Error(`${project}: node dist/main.js said ${output}`);
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
      check(project, tarball);
      console.log(
        `ok ${project}: booted on express and fastify, its own test passed (${Date.now() - startedAt} ms)`,
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
