import { Logger } from '@nestjs/common';
import { LOGGER_CONTEXT } from '../healthcheck.constants.js';
import { healthEventListenerFailed } from '../healthcheck.messages.js';
import type {
  HealthEvent,
  HealthEventListener,
} from '../interfaces/health-event.interface.js';
import { describeThrown } from './describe-thrown.js';

/** The runner's listeners (transports): each gets every event; one that throws is logged and the rest go on. */
export class HealthEventHub {
  private readonly logger = new Logger(LOGGER_CONTEXT);
  private readonly listeners = new Set<HealthEventListener>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: HealthEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: HealthEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error(healthEventListenerFailed(describeThrown(error)));
      }
    }
  }
}
