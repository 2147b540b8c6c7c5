import {
  Injectable,
  type OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { HealthMonitor } from '../checks/health.monitor.js';

/**
 * From the moment shutdown begins, every response of the application's HTTP server and of the health server
 * carries `Connection: close`, so keep-alive clients reconnect elsewhere during the shutdown delay instead of
 * meeting a closed socket afterwards. Until then it costs the application's requests nothing: its listener is
 * added when shutdown begins.
 */
@Injectable()
export class ConnectionDrain implements OnApplicationShutdown {
  private draining = false;
  private appServer?: Server;
  private readonly unsubscribe: () => void;

  constructor(
    monitor: HealthMonitor,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.unsubscribe = monitor.subscribe((event) => {
      if (event.type === 'shutdown') this.begin();
    });
  }

  /** Whether shutdown has begun. */
  get active(): boolean {
    return this.draining;
  }

  onApplicationShutdown(): void {
    this.unsubscribe();
    this.appServer?.off('request', this.onRequest);
    this.appServer = undefined;
  }

  private begin(): void {
    this.draining = true;
    const server = this.adapterHost?.httpAdapter?.getHttpServer?.() as
      Server | undefined;
    if (server && typeof server.prependListener === 'function') {
      this.appServer = server;
      server.prependListener('request', this.onRequest);
    }
  }

  private readonly onRequest = (
    _request: IncomingMessage,
    response: ServerResponse,
  ): void => {
    response.setHeader('Connection', 'close');
  };
}
