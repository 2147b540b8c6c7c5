import { test } from 'node:test';
import { PLATFORMS, serve, verify } from './serve.js';

for (const platform of PLATFORMS) {
  test(`nestjs-healthcheck under node:test (${platform})`, async () => {
    const { app, url } = await serve(platform);
    try {
      await verify(url, app);
    } finally {
      await app.close();
    }
  });
}
