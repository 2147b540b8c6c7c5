import { Module } from '@nestjs/common';
import { HealthcheckModule } from 'nestjs-healthcheck';
import { AppController } from './app.controller.js';
import { AppInfo } from './app-info.js';
import { DependencyHealth } from './health/dependency.health.js';
import { runtimeChecks } from './health/runtime.checks.js';
import { WarmupHealth } from './health/warmup.health.js';

@Module({
  imports: [
    HealthcheckModule.forRoot({
      checks: runtimeChecks(),
      ui: { title: 'Sample health' },
      successHeaders: { 'X-Health': 'ok' },
      failedHeaders: { 'X-Health': 'failing' },
      failedStatus: 503,
      shutdownDelay: Number(process.env.SHUTDOWN_DELAY_MS ?? 0),
      environment: {
        config: () => ({
          port: Number(process.env.PORT ?? 3000),
          dependencyUrl: process.env.DEPENDENCY_URL ?? null,
        }),
        scrub: ['dsn'],
      },
    }),
  ],
  controllers: [AppController],
  providers: [DependencyHealth, WarmupHealth, AppInfo],
})
export class AppModule {}
