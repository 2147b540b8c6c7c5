import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders } from 'node:http';
import type { ToWorker } from './health-server.worker.js';

/**
 * The main thread's side of an event stream whose client is connected to the worker: as much of a
 * ServerResponse as the event stream uses, each write handed to the worker. The worker drops a client that
 * reads too slowly, and says when a client goes (`close`).
 */
export class RemoteResponse extends EventEmitter {
  destroyed = false;
  writableEnded = false;
  headersSent = false;
  /** The worker holds the unread bytes (and drops slow readers): nothing waits here. */
  readonly writableLength = 0;

  constructor(
    private readonly id: number,
    private readonly post: (message: ToWorker) => void,
  ) {
    super();
  }

  writeHead(
    status: number,
    headers?: OutgoingHttpHeaders | ReadonlyArray<string>,
  ): this {
    this.headersSent = true;
    this.post({
      type: 'stream-head',
      id: this.id,
      status,
      headers: toRecord(headers),
    });
    return this;
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.destroyed || this.writableEnded) return false;
    this.post({
      type: 'stream-chunk',
      id: this.id,
      chunk: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(),
    });
    return true;
  }

  end(chunk?: string | Uint8Array): this {
    if (this.destroyed || this.writableEnded) return this;
    if (chunk !== undefined) this.write(chunk);
    this.writableEnded = true;
    this.post({ type: 'stream-end', id: this.id, destroy: false });
    this.gone();
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    if (!this.writableEnded) {
      this.post({ type: 'stream-end', id: this.id, destroy: true });
    }
    this.gone();
    return this;
  }

  /** The client went (the worker said so, or the worker is gone). */
  gone(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
}

/** Headers as an object, from either form `writeHead` takes. */
function toRecord(
  headers: OutgoingHttpHeaders | ReadonlyArray<string> | undefined,
): Record<string, string> {
  const record: Record<string, string> = {};
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      record[String(headers[index])] = String(headers[index + 1]);
    }
  } else if (headers) {
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined) record[name] = String(value);
    }
  }
  return record;
}
