import {
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HealthCheckRunner } from '../checks/health-check.runner.js';

/**
 * From the moment shutdown begins, every response of the application's HTTP server and of the health server
 * carries `Connection: close`, so keep-alive clients reconnect elsewhere during the shutdown delay instead of
 * meeting a closed socket afterwards.
 */
@Injectable()
export class ConnectionDrain
  implements OnApplicationBootstrap, OnApplicationShutdown
{
  private draining = false;
  private readonly watched = new Set<Server>();
  private readonly unsubscribe: () => void;

  constructor(
    runner: HealthCheckRunner,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.unsubscribe = runner.subscribe((event) => {
      if (event.type === 'shutdown') this.draining = true;
    });
  }

  /** Whether shutdown has begun. */
  get active(): boolean {
    return this.draining;
  }

  /** Adds `Connection: close` to the responses of `server` once shutdown has begun. */
  watch(server: Server): void {
    if (this.watched.has(server)) return;
    this.watched.add(server);
    server.prependListener('request', this.onRequest);
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost?.httpAdapter?.getHttpServer?.() as
      Server | undefined;
    if (server && typeof server.prependListener === 'function') {
      this.watch(server);
    }
  }

  onApplicationShutdown(): void {
    this.unsubscribe();
    for (const server of this.watched) {
      server.off('request', this.onRequest);
    }
    this.watched.clear();
  }

  private readonly onRequest = (
    _request: IncomingMessage,
    response: ServerResponse,
  ): void => {
    if (this.draining) response.setHeader('Connection', 'close');
  };
}
