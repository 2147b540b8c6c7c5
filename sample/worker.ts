import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthcheckServer } from 'nestjs-healthcheck';
import { WorkerModule } from './worker.module.js';

async function bootstrap(): Promise<void> {
  const worker = await NestFactory.createApplicationContext(WorkerModule);
  worker.enableShutdownHooks();
  const address = worker.get(HealthcheckServer).address();
  Logger.log(
    `Worker probes at http://localhost:${address?.port}/healthcheck/ready (and /live, /startup)`,
    'Sample',
  );
}

void bootstrap();
