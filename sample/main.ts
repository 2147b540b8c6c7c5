import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  const base = `http://localhost:${port}`;
  Logger.log(
    `Health report at ${base}/healthcheck, environment at ${base}/environment`,
    'Sample',
  );
}

void bootstrap();
