import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { HealthCheckRunner } from 'nestjs-healthcheck';
import { AppInfo, AppModule } from './app.module.js';

export const PLATFORMS = ['express', 'fastify'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Starts the app on the platform, on a free port. */
export async function serve(
  platform: Platform,
): Promise<{ app: INestApplication; url: string }> {
  const adapter =
    platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(AppModule, adapter, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

/** What every consumer checks: both routes answer, and there is one copy of the module's classes. */
export async function verify(
  url: string,
  app?: INestApplication,
): Promise<void> {
  const health = await fetch(`${url}/healthcheck`);
  const report = (await health.json()) as {
    status: string;
    results: Array<{ checker: string; output: unknown }>;
  };
  const names = report.results.map((result) => result.checker).join(',');
  const queue = JSON.stringify(report.results[2]?.output);
  if (
    health.status !== 200 ||
    report.status !== 'success' ||
    names !== 'redisAvailable,redis_latency,queue' ||
    queue !== '{"queue":{"status":"up","depth":0}}'
  ) {
    throw new Error(
      `/healthcheck answered ${health.status}: ${JSON.stringify(report)}`,
    );
  }
  const ready = await fetch(`${url}/healthcheck/ready`);
  if (ready.status !== 200)
    throw new Error(`/healthcheck/ready answered ${ready.status}`);
  const environment = await fetch(`${url}/environment`);
  const dump = (await environment.json()) as {
    application?: { maintainer?: string };
  };
  if (
    environment.status !== 200 ||
    dump.application?.maintainer !== 'Frank Stratton'
  ) {
    throw new Error(
      `/environment answered ${environment.status}: ${JSON.stringify(dump).slice(0, 300)}`,
    );
  }
  if (app && app.get(AppInfo).runner !== app.get(HealthCheckRunner)) {
    throw new Error('two copies of HealthCheckRunner in one app');
  }
}
