import { Injectable } from '@nestjs/common';
import {
  checks,
  HealthCheck,
  type HealthCheckContext,
} from 'nestjs-healthcheck';

/**
 * An HTTP dependency: set DEPENDENCY_URL to the URL of a service this app needs. It reuses the library's HTTP
 * check inside a check of its own, which passes when no dependency is configured.
 */
@Injectable()
export class DependencyHealth {
  private readonly url = process.env.DEPENDENCY_URL;

  @HealthCheck({ name: 'http_dependency', timeout: 2_000, tags: ['readiness'] })
  async dependency({ signal }: HealthCheckContext) {
    if (!this.url) {
      return [
        true,
        'DEPENDENCY_URL is not set: no dependency to check',
      ] as const;
    }
    return checks.http.run({ url: this.url, signal });
  }
}
