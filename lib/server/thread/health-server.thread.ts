import type { LoggerService } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Worker } from 'node:worker_threads';
import { describeThrown } from '../../checks/describe-thrown.js';
import {
  healthRouteFailed,
  healthServerListenFailed,
  healthServerPortInUse,
  healthServerWorkerFailed,
  mainThreadBusy,
} from '../../healthcheck.messages.js';
import { errorResponse } from '../../report/http-response.js';
import type { HealthRoutePaths } from '../health-route.matcher.js';
import type { HealthServerTimeouts } from '../health-server.timeouts.js';
import type { HealthServerRoutes } from '../health-server.routes.js';
import type { AnswerPublisher } from './answer-publisher.js';
import type {
  FromWorker,
  HealthServerWorkerData,
  ToWorker,
} from './health-server.worker.js';
import { Heartbeat } from './heartbeat.js';
import { publishAnswer } from './published-answer.js';
import { RemoteResponse } from './remote-response.js';
import { healthServerWorkerSource } from './worker-source.js';

/** Milliseconds between two beats of the main thread. */
export const HEARTBEAT_INTERVAL_MS = 100;
/** A main thread silent for longer is busy: the worker answers from what it has instead of asking it. */
const BUSY_AFTER_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** How long a probe or a report waits for a `showDetails` function before its answer without details. */
const FALLBACK_AFTER_MS = 250;
/** How long any other request handed to the main thread waits before a 503. */
const FORWARD_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 5_000;
const MAX_STREAM_BACKLOG = 64 * 1024;
const FIRST_RESTART_DELAY_MS = 100;
const LAST_RESTART_DELAY_MS = 5_000;
/** A worker that ran this long before it stopped was sound: the next restart comes after the first delay again. */
const STABLE_AFTER_MS = 30_000;

export interface HealthServerThreadSettings {
  port: number;
  host: string | undefined;
  maxConnections: number | undefined;
  limits: { notReadyAfter: number; notLiveAfter: number };
  timeouts: HealthServerTimeouts;
  routes: HealthRoutePaths;
  /** True when `showDetails` is a function, which only the main thread can call. */
  askMainThread: boolean;
}

/**
 * The health server on a worker thread (option `server.thread`). The main thread beats a heartbeat into shared
 * memory and hands the worker every prepared answer when it changes; the worker answers probes from them and
 * from the heartbeat's age, never waiting for a blocked main thread. What needs the main thread (a selection,
 * the environment, the drain route, the event stream, a `showDetails` function) is handed over to it. A worker
 * that stops is logged and started again.
 */
export class HealthServerThread {
  private readonly heartbeat = new Heartbeat(HEARTBEAT_INTERVAL_MS);
  private readonly streams = new Map<number, RemoteResponse>();
  private worker?: Worker;
  private listening?: { host: string; port: number };
  private stopping = false;
  private restartDelay = FIRST_RESTART_DELAY_MS;
  private restartTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly settings: HealthServerThreadSettings,
    private readonly routes: HealthServerRoutes,
    private readonly publisher: AnswerPublisher,
    private readonly logger: LoggerService,
  ) {}

  /** Where the worker listens; null before it listens. */
  address(): { host: string; port: number } | null {
    return this.listening ?? null;
  }

  /** Starts the heartbeat and the worker; resolves once it listens. */
  async start(): Promise<void> {
    this.heartbeat.start();
    try {
      await this.spawn(this.settings.port);
    } catch (error) {
      this.heartbeat.stop();
      throw error;
    }
    void this.publisher.republishAll();
  }

  /** Shutdown has begun: answers ask clients to close their connections. */
  markShutdown(): void {
    this.heartbeat.markShutdown();
  }

  /** Closes the worker's server (requests in progress get `CLOSE_GRACE_MS`), then ends the worker. */
  async close(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.publisher.stop();
    // The worker stays reachable until it has closed: requests still with the main thread get their answers.
    const worker = this.worker;
    if (worker) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, CLOSE_GRACE_MS + 1_000);
        worker.on('message', (message: FromWorker) => {
          if (message.type === 'closed') done();
        });
        worker.once('exit', done);
        worker.postMessage({ type: 'close' } satisfies ToWorker);
      });
      this.worker = undefined;
      await worker.terminate();
    }
    this.dropStreams();
    this.heartbeat.stop();
  }

  /** Posts the changed answers to the worker. */
  post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private spawn(port: number): Promise<void> {
    const worker = new Worker(healthServerWorkerSource(), {
      eval: true,
      workerData: this.workerData(port),
    });
    this.worker = worker;
    return new Promise<void>((resolve, reject) => {
      let started = false;
      let listeningSince = 0;
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'listening':
            started = true;
            listeningSince = performance.now();
            this.listening = { host: message.host, port: message.port };
            resolve();
            return;
          case 'listen-failed':
            if (!started) {
              void worker.terminate();
              reject(new Error(this.listenFailure(message, port)));
            }
            return;
          case 'request':
            this.answer(message);
            return;
          case 'stream-closed':
            this.streams.get(message.id)?.gone();
            this.streams.delete(message.id);
            return;
        }
      });
      let failure: string | undefined;
      worker.on('error', (error) => {
        failure = describeThrown(error);
        if (!started) reject(error);
      });
      worker.on('exit', (code) => {
        // A worker gone before it listened fails its start, so that a restart is tried again.
        if (!started) {
          reject(new Error(failure ?? `exit code ${String(code)}`));
        }
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.dropStreams();
        if (this.stopping || !started) return;
        this.logger.error(
          healthServerWorkerFailed(failure ?? `exit code ${String(code)}`),
        );
        // Only a worker that stayed up resets the delay: one that stops soon after each start would otherwise be
        // restarted (and logged) ten times a second for good.
        if (performance.now() - listeningSince >= STABLE_AFTER_MS) {
          this.restartDelay = FIRST_RESTART_DELAY_MS;
        }
        this.scheduleRestart();
      });
    });
  }

  private scheduleRestart(): void {
    const delay = this.restartDelay;
    this.restartDelay = Math.min(delay * 2, LAST_RESTART_DELAY_MS);
    this.restartTimer = setTimeout(() => {
      if (this.stopping) return;
      // The same port as before, even when the option said 0: the probes keep their address.
      this.spawn(this.listening?.port ?? this.settings.port).then(
        () => void this.publisher.republishAll(),
        (error: unknown) => {
          if (this.stopping) return;
          this.logger.error(healthServerWorkerFailed(describeThrown(error)));
          this.scheduleRestart();
        },
      );
    }, delay);
    this.restartTimer.unref();
  }

  /** Answers a request the worker handed over, through the same routes as the server on the main thread. */
  private answer(message: Extract<FromWorker, { type: 'request' }>): void {
    const { id } = message;
    const request = {
      method: message.method,
      url: message.url,
      headers: message.headers,
      socket: { remoteAddress: message.remoteAddress },
    };
    const response = new RemoteResponse(id, (toWorker) => this.post(toWorker));
    const reply = (prepared: Parameters<typeof publishAnswer>[0]) =>
      this.post({ type: 'reply', id, answer: publishAnswer(prepared) });
    const fail = (error: unknown) => {
      const text = healthRouteFailed(describeThrown(error));
      this.logger.error(text);
      if (response.headersSent) response.destroy();
      else reply(this.routes.error(500, text));
    };
    try {
      const answer = this.routes.answer(
        request,
        response as unknown as ServerResponse,
      );
      if (answer === undefined) {
        if (!response.destroyed) this.streams.set(id, response);
        response.once('close', () => this.streams.delete(id));
      } else if (answer instanceof Promise) {
        answer.then(reply, fail);
      } else {
        reply(answer);
      }
    } catch (error) {
      fail(error);
    }
  }

  private dropStreams(): void {
    for (const stream of this.streams.values()) stream.gone();
    this.streams.clear();
  }

  /** Why listening on `port` failed: the option's port at start, the port kept from the first worker at a restart. */
  private listenFailure(
    message: Extract<FromWorker, { type: 'listen-failed' }>,
    port: number,
  ): string {
    const host = this.settings.host ?? '0.0.0.0';
    return message.code === 'EADDRINUSE'
      ? healthServerPortInUse(host, port)
      : healthServerListenFailed(host, port, message.message);
  }

  private workerData(port: number): HealthServerWorkerData {
    const { settings } = this;
    return {
      port,
      host: settings.host,
      maxConnections: settings.maxConnections,
      timeouts: settings.timeouts,
      routes: settings.routes,
      limits: settings.limits,
      heartbeat: this.heartbeat.memory,
      askMainThread: settings.askMainThread,
      busyAfterMs: BUSY_AFTER_MS,
      fallbackAfterMs: FALLBACK_AFTER_MS,
      forwardTimeoutMs: FORWARD_TIMEOUT_MS,
      closeGraceMs: CLOSE_GRACE_MS,
      maxStreamBacklog: MAX_STREAM_BACKLOG,
      busy: publishAnswer(
        errorResponse(503, mainThreadBusy, { 'Retry-After': '1' }),
      ),
      failed: publishAnswer(errorResponse(500, healthRouteFailed('worker'))),
    };
  }
}
