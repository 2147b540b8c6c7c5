import { Injectable, Module } from '@nestjs/common';
import {
  EnvSection,
  fromTerminus,
  HealthCheck,
  HealthcheckModule,
  HealthCheckRunner,
} from 'nestjs-healthcheck';

@Injectable()
export class RedisHealth {
  private readonly redis = { ping: async () => 'PONG' };

  @HealthCheck()
  async redisAvailable(): Promise<[boolean, string]> {
    await this.redis.ping();
    return [true, 'redis ok'];
  }

  @HealthCheck({
    name: 'redis_latency',
    timeout: 500,
    successTtl: 5_000,
    tags: ['readiness'],
  })
  latency() {
    return { passed: true, output: { ms: 3 } };
  }

  /** A terminus-style indicator (no terminus needed): its result is the output, `down` would fail it. */
  @HealthCheck({ name: 'queue' })
  queue() {
    return fromTerminus(async () => ({ queue: { status: 'up', depth: 0 } }));
  }
}

@Injectable()
export class AppInfo {
  constructor(readonly runner: HealthCheckRunner) {}

  @EnvSection('application')
  application() {
    return {
      maintainer: 'Frank Stratton',
      git_repo: 'https://github.com/Runscope/healthcheck',
    };
  }
}

@Module({
  imports: [HealthcheckModule.forRoot({ environment: true })],
  providers: [RedisHealth, AppInfo],
})
export class AppModule {}
