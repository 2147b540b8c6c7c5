/**
 * An app for the threaded health server's bench, run from bench/dist against the built package:
 * `node --expose-gc bench/dist/blocking-app.js '<server options as JSON>'`. Its health server runs on the main
 * thread or on a worker thread (`{"thread":true}`), with one liveness and one readiness check at the default
 * TTLs. It prints `port <n>` once it listens. On stdin: `block <ms>` spins its event loop for that long
 * (printing `blocking` before and `unblocked` after), `cpu` prints `cpu <µs> <ms>` (the CPU time of the whole
 * process, every thread, since it started, and the time on its monotonic clock), `rss` prints `rss <bytes>` (resident memory after a full GC), `exit`
 * closes it.
 */
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import {
  HealthCheck,
  HealthcheckModule,
  HealthcheckServer,
} from 'nestjs-healthcheck';

@Injectable()
class AppChecks {
  @HealthCheck({ tags: ['liveness'] })
  process(): boolean {
    return true;
  }

  @HealthCheck({ tags: ['readiness'] })
  database(): [boolean, string] {
    return [true, 'database answered'];
  }
}

const server = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;

@Module({
  imports: [
    HealthcheckModule.forRoot({
      server: { port: 0, host: '127.0.0.1', ...server },
    }),
  ],
  providers: [AppChecks],
})
class AppModule {}

function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // The busy loop measured: nothing else runs on this thread meanwhile.
  }
}

const app = await NestFactory.createApplicationContext(AppModule, {
  logger: ['error'],
});
await app.init();
process.stdout.write(`port ${app.get(HealthcheckServer).address()?.port}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument] = line.trim().split(' ');
  if (command === 'block') {
    process.stdout.write('blocking\n');
    spin(Number(argument));
    process.stdout.write('unblocked\n');
  } else if (command === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.stdout.write(`cpu ${user + system} ${performance.now()}\n`);
  } else if (command === 'rss') {
    (globalThis as { gc?: () => void }).gc?.();
    process.stdout.write(`rss ${process.memoryUsage.rss()}\n`);
  } else if (command === 'exit') {
    await app.close();
    break;
  }
}
process.stdin.destroy();
