import type { ServingStatus, HealthWatchCall } from './grpc-health.types.js';

/** How a watch reads statuses and hears about changes; given by GrpcHealthService. */
export interface HealthWatchSource {
  /** The first status, from a real evaluation (runs the selection like Check); SERVICE_UNKNOWN for unknown names. */
  initial(service: string): Promise<ServingStatus>;
  /** A later status, from cached results only. */
  current(service: string): Promise<ServingStatus>;
  /** Calls `listener` on every health event; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

/**
 * One Watch stream: sends a real first status, then a new message only when an event changes the status.
 * Ends (and unsubscribes) when the client cancels or `end()` is called.
 */
export class HealthWatch {
  private last?: ServingStatus;
  private open = true;
  /** False until the first status is sent: events before it only mark the status for a recheck. */
  private started = false;
  private changedMeanwhile = false;
  private sequence = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly call: HealthWatchCall,
    private readonly source: HealthWatchSource,
    private readonly onClosed: (watch: HealthWatch) => void,
  ) {
    this.unsubscribe = source.subscribe(() => this.onEvent());
    call.on('cancelled', () => this.close());
    if (call.cancelled) {
      this.close();
      return;
    }
    void this.start();
  }

  /** The application is shutting down: sends NOT_SERVING unless it was the last status sent, and ends with OK. */
  end(): void {
    if (!this.open) return;
    this.send('NOT_SERVING');
    this.close();
    this.call.end();
  }

  private get service(): string {
    return this.call.request.service ?? '';
  }

  private async start(): Promise<void> {
    const status = await this.source.initial(this.service);
    if (!this.open) return;
    this.send(status);
    this.started = true;
    if (this.changedMeanwhile) await this.refresh();
  }

  private onEvent(): void {
    if (this.started) void this.refresh();
    else this.changedMeanwhile = true;
  }

  private async refresh(): Promise<void> {
    const sequence = ++this.sequence;
    const status = await this.source.current(this.service);
    // A later event's reading may settle first; only the latest counts.
    if (this.open && sequence === this.sequence) this.send(status);
  }

  private send(status: ServingStatus): void {
    if (status === this.last) return;
    this.last = status;
    this.call.write({ status });
  }

  private close(): void {
    if (!this.open) return;
    this.open = false;
    this.unsubscribe();
    this.onClosed(this);
  }
}
