import { Injectable } from '@nestjs/common';
import type {
  HealthCheckFunction,
  HealthCheckOptions,
  HealthCheckSelection,
  HealthReport,
} from '../interfaces/check.interface.js';
import type { EnvSectionSource } from '../interfaces/environment.interface.js';
import type {
  CheckSnapshot,
  DrainOptions,
  DrainState,
  HealthEventListener,
} from '../interfaces/health-event.interface.js';
import { CheckRegistry } from './check.registry.js';
import { HealthMonitor } from './health.monitor.js';

/**
 * The application's checks, for code that needs them: run them, add checks and report sections, read the
 * latest results and hear about changes. Every route, probe and transport reads the same state.
 */
@Injectable()
export class HealthCheckRunner {
  constructor(
    private readonly monitor: HealthMonitor,
    private readonly registry: CheckRegistry,
  ) {}

  /**
   * Runs every selected on-demand check whose cached result has expired (all at once) and returns the report.
   * Without a selection the report covers every check. Throws UnknownSelectionError for an unknown check or tag.
   */
  async run(selection?: HealthCheckSelection): Promise<HealthReport> {
    return this.monitor.current(selection);
  }

  /** Every check with its shown status and latest result, read from the cache; nothing runs. */
  results(): CheckSnapshot[] {
    return this.monitor.snapshot();
  }

  /**
   * Calls `listener` with every new result, status change, drain change and the start of shutdown; returns the
   * unsubscribe.
   */
  subscribe(listener: HealthEventListener): () => void {
    return this.monitor.subscribe(listener);
  }

  /**
   * Takes this instance out of rotation without stopping it: readiness, the full report, custom groups and gRPC
   * (but liveness and startup) fail with a `drain` result, while the checks keep running and showing their
   * results. Ends by itself after `forMs` ms (no end without it), or at `undrain()`; a second call replaces
   * the drain. `reason` is shown only to callers that see details. Throws on invalid options; changes nothing
   * once shutdown has begun.
   */
  drain(options?: DrainOptions): void {
    this.monitor.drain(options);
  }

  /** Ends the drain at once; does nothing when there is none. */
  undrain(): void {
    this.monitor.undrain();
  }

  /** The drain under way (`reason`, `until` as an ISO time), or undefined. */
  drainState(): DrainState | undefined {
    return this.monitor.drainState();
  }

  /** Registers a check by hand, like the Python library's `add_check`; `options` override the module's. */
  addCheck(
    name: string,
    check: HealthCheckFunction,
    options: Omit<HealthCheckOptions, 'name'> = {},
  ): void {
    this.registry.register(
      check,
      { ...options, name },
      name,
      `HealthCheckRunner.addCheck('${String(name)}')`,
    );
  }

  /**
   * Adds a top-level key to the full report, like the Python library's `add_section`: a value, or a function
   * (sync, Promise or Observable) evaluated when the report is rebuilt, and at least once per `successTtl`.
   * Secrets in it are scrubbed as in the environment dump.
   */
  addSection(name: string, section: EnvSectionSource): void {
    this.monitor.addSection(name, section);
  }
}
