import { APP_GUARD } from '@nestjs/core';
import {
  Public,
  PublicOnlyGuard,
  WorkerChecks,
} from '../fixtures/health-server.fixture.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

describe.each(PLATFORMS)(
  'decorators on the generated controllers (%s)',
  (platform) => {
    const apps = healthcheckApps(platform);

    it('let a global guard that honours @Public() through to every health route', async () => {
      const guarded = { provide: APP_GUARD, useClass: PublicOnlyGuard };
      const closed = await apps.boot(
        { environment: true, ui: true },
        { providers: [WorkerChecks, guarded] },
      );
      expect((await closed.get('/healthcheck/ready')).status).toBe(403);
      await apps.app.close();

      const open = await apps.boot(
        { environment: true, ui: true, decorators: [Public()] },
        { providers: [WorkerChecks, guarded] },
      );
      for (const path of [
        '/healthcheck',
        '/healthcheck/live',
        '/healthcheck/ready',
        '/healthcheck/group/queue',
        '/healthcheck/history',
        '/healthcheck/ui',
        '/environment',
      ]) {
        expect({ path, status: (await open.get(path)).status }).toEqual({
          path,
          status: 200,
        });
      }
    });
  },
);
