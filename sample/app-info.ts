import { Injectable } from '@nestjs/common';
import { EnvSection } from 'nestjs-healthcheck';

/** A custom section of the environment dump. */
@Injectable()
export class AppInfo {
  @EnvSection('application')
  application(): Record<string, unknown> {
    return {
      name: 'nestjs-healthcheck-sample',
      maintainer: 'The sample team',
      startedAt: new Date(Date.now() - process.uptime() * 1000).toISOString(),
    };
  }
}
