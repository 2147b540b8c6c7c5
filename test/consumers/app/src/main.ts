import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Platform, serve, verify } from './serve.js';

/** `import` and `require` of the package must give the same classes: one copy of the module per app. */
async function verifySingleCopy(): Promise<void> {
  const viaImport = await import('nestjs-healthcheck');
  const viaRequire = createRequire(join(process.cwd(), 'package.json'))(
    'nestjs-healthcheck',
  ) as typeof viaImport;
  if (viaImport.HealthcheckModule !== viaRequire.HealthcheckModule) {
    throw new Error(
      'import and require loaded two copies of nestjs-healthcheck',
    );
  }
}

/** Boots the app as `node dist/main.js`, checks its routes over HTTP, and prints the outcome. */
async function main(): Promise<void> {
  const platform = (process.env.PLATFORM ?? 'express') as Platform;
  const { app, url } = await serve(platform);
  try {
    await verify(url, app);
    await verifySingleCopy();
    console.log(`ok ${platform}`);
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
