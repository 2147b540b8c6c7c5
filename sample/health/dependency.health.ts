import { Injectable } from '@nestjs/common';
import { HealthCheck, type HealthCheckContext } from 'nestjs-healthcheck';

/**
 * An HTTP dependency: set DEPENDENCY_URL to the URL of a service this app needs. The signal the check receives
 * is aborted when the check times out, so the request is cancelled rather than left running.
 */
@Injectable()
export class DependencyHealth {
  private readonly url = process.env.DEPENDENCY_URL;

  @HealthCheck({ name: 'http_dependency', timeout: 2_000, tags: ['readiness'] })
  async dependency({
    signal,
  }: HealthCheckContext): Promise<[boolean, unknown]> {
    if (!this.url)
      return [true, 'DEPENDENCY_URL is not set: no dependency to check'];
    const response = await fetch(this.url, { signal });
    return [response.ok, { url: this.url, status: response.status }];
  }
}
