import { describe, expect, it } from '@jest/globals';
import { PLATFORMS, serve, verify } from './serve.js';

describe.each(PLATFORMS)('nestjs-healthcheck under jest (%s)', (platform) => {
  it('serves /healthcheck and /environment', async () => {
    const { app, url } = await serve(platform);
    try {
      await expect(verify(url, app)).resolves.toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
