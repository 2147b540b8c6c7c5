import { afterEach } from '@jest/globals';
import {
  type INestApplication,
  Module,
  type ModuleMetadata,
  type Type,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import {
  HealthcheckModule,
  type HealthcheckModuleOptions,
} from '../../lib/index.js';

/** Every e2e suite runs once per platform. */
export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Boots `rootModule` on the given platform, ready for supertest; `configure` runs before init. */
export async function createApp(
  rootModule: Type<unknown>,
  platform: Platform,
  configure?: (app: INestApplication) => void,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [rootModule],
  }).compile();
  const app = moduleRef.createNestApplication(
    platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
    { logger: false },
  );
  configure?.(app);
  await app.init();
  if (platform === 'fastify') {
    await app.getHttpAdapter().getInstance().ready();
  }
  return app;
}

export interface TestAppOptions {
  providers?: ModuleMetadata['providers'];
  imports?: ModuleMetadata['imports'];
  configure?: (app: INestApplication) => void;
}

/**
 * Boots apps that import `HealthcheckModule.forRoot(options)` on `platform`, each closed after its test.
 * `boot` answers a supertest agent; `app` is the app last booted.
 */
export function healthcheckApps(platform: Platform) {
  let current: INestApplication | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    async boot(
      options: HealthcheckModuleOptions = {},
      { providers = [], imports = [], configure }: TestAppOptions = {},
    ) {
      @Module({
        imports: [HealthcheckModule.forRoot(options), ...imports],
        providers,
      })
      class AppModule {}
      current = await createApp(AppModule, platform, configure);
      return request(current.getHttpServer());
    },
    get app(): INestApplication {
      if (!current) throw new Error('no app booted yet');
      return current;
    },
  };
}
