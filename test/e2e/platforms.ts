import type { INestApplication, Type } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';

/** Every e2e suite runs once per platform. */
export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Boots `rootModule` on the given platform, ready for supertest; `configure` runs before init. */
export async function createApp(
  rootModule: Type<unknown> | ReturnType<typeof Object>,
  platform: Platform,
  configure?: (app: INestApplication) => void,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [rootModule as Type<unknown>],
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
