import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The `node` section: the runtime, where it looks for modules and the installed versions of the app's packages
 * (read once by the caller, see installedPackages).
 */
export async function nodeSection(
  packages: Promise<Record<string, string | null>>,
  applicationRoot: string = process.cwd(),
): Promise<Record<string, unknown>> {
  return {
    version: process.version,
    versions: process.versions,
    execPath: process.execPath,
    execArgv: process.execArgv,
    modulePaths: moduleSearchPaths(applicationRoot),
    packages: await packages,
  };
}

function moduleSearchPaths(applicationRoot: string): string[] {
  const resolvePaths = createRequire(path.join(applicationRoot, 'index.js'))
    .resolve.paths;
  return resolvePaths('any-package') ?? [];
}

/** name -> installed version of every dependency declared in the application's package.json. */
export async function installedPackages(
  applicationRoot: string = process.cwd(),
): Promise<Record<string, string | null>> {
  const found = await findUpJson(applicationRoot, 'package.json');
  if (!found) return {};
  const names = Object.keys({
    ...(found.json.dependencies as object | undefined),
    ...(found.json.devDependencies as object | undefined),
  }).sort();
  const versions = await Promise.all(
    names.map((name) => installedVersion(name, path.dirname(found.file))),
  );
  return Object.fromEntries(
    names.map((name, index) => [name, versions[index]]),
  );
}

async function installedVersion(
  name: string,
  fromDirectory: string,
): Promise<string | null> {
  const found = await findUpJson(
    fromDirectory,
    path.join('node_modules', name, 'package.json'),
  );
  return typeof found?.json.version === 'string' ? found.json.version : null;
}

/** The nearest `relativePath` at or above `directory` that holds JSON. */
async function findUpJson(
  directory: string,
  relativePath: string,
): Promise<{ file: string; json: Record<string, unknown> } | undefined> {
  for (
    let current = path.resolve(directory);
    ;
    current = path.dirname(current)
  ) {
    const file = path.join(current, relativePath);
    const json = await readJson(file);
    if (json !== undefined) return { file, json };
    if (path.dirname(current) === current) return undefined;
  }
}

async function readJson(
  file: string,
): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
