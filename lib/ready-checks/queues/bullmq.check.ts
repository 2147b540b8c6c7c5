import {
  bullmqAtMost,
  bullmqConnectionDown,
  bullmqCounts,
  bullmqNeedsWorker,
  outsideExpected,
} from '../../healthcheck.messages.js';
import type { CommonCheckOptions } from '../health-check.definition.js';
import { abortable } from '../shared/abortable.js';
import { clientOption } from '../shared/client-option.js';
import { afterEarlierProbe, trackProbe } from '../shared/earlier-probe.js';
import { OwnOptions } from '../shared/own-options.validator.js';
import { elapsedMs, roundMs } from '../shared/quantity.format.js';
import { readyCheck } from '../shared/ready-check.js';
import { roundTripFailure } from '../shared/round-trip.js';
import type {
  ReadyCheckOutcome,
  ReadyCheckRunOptions,
} from '../shared/ready-check.outcome.js';
import {
  BULLMQ_QUEUE_EXPECTED,
  bullmqTarget,
  COUNTED_STATES,
  isBullmqQueue,
  sharedIoredis,
  type BullmqQueueLike,
} from './bullmq-queue.js';

/** The limits of `checks.bullmq`; each is optional. */
export interface BullmqLimits {
  /** Fails when more jobs than this wait to be processed. */
  maxWaiting?: number;
  /** Fails when more jobs than this are delayed (scheduled for later, or waiting to be retried). */
  maxDelayed?: number;
  /** Fails when more jobs than this are kept as failed. */
  maxFailed?: number;
  /** Fails when no worker of the queue is connected to Redis. Default false. */
  requireWorkers?: boolean;
}

/** Options of `checks.bullmq`. */
export interface BullmqCheckOptions extends BullmqLimits {
  /** A BullMQ Queue, or its DI token (e.g. `getQueueToken('emails')` of @nestjs/bullmq). */
  queue: unknown;
}

/** What the pure BullMQ check is given besides its queue. */
export interface BullmqRunOptions extends BullmqLimits, ReadyCheckRunOptions {}

const LIMITS = [
  ['maxWaiting', 'waiting'],
  ['maxDelayed', 'delayed'],
  ['maxFailed', 'failed'],
] as const;

/**
 * Reads the queue's job counts (`getJobCounts`, one script call on the queue's own Redis connection), and with
 * `requireWorkers` its workers (`CLIENT LIST`, sent beside it), then compares them with the limits. A queue
 * whose own ioredis connection is known to be down fails at once; that state never makes the check pass. A
 * read abandoned at a time-out stays queued on the connection and is answered once Redis wakes; until then the
 * next run waits for it rather than adding another.
 */
export async function checkBullmq(
  queue: BullmqQueueLike,
  { signal, ...limits }: BullmqRunOptions = {},
): Promise<ReadyCheckOutcome> {
  const what = limits.requireWorkers
    ? 'getJobCounts and getWorkersCount'
    : 'getJobCounts';
  const started = performance.now();
  let counts: Record<string, number>;
  let workers: number | undefined;
  try {
    signal?.throwIfAborted();
    const status = sharedIoredis(queue)?.status;
    if (status === 'reconnecting' || status === 'close' || status === 'end') {
      throw new Error(bullmqConnectionDown(status));
    }
    await afterEarlierProbe(queue, what, signal);
    const work = Promise.all([
      queue.getJobCounts(...COUNTED_STATES),
      limits.requireWorkers ? queue.getWorkersCount() : undefined,
    ]);
    trackProbe(queue, work, what);
    [counts, workers] = await abortable(work, signal);
  } catch (error) {
    return roundTripFailure(what, () => bullmqTarget(queue), signal, error);
  }
  const ms = elapsedMs(started);
  return {
    ...judgeJobCounts(queue.name, counts, workers, limits, ms),
    observedValue: roundMs(ms),
    observedUnit: 'ms',
  };
}

/** Compares the counts read from a queue with its limits, and words them: the counts, then what was missed. */
export function judgeJobCounts(
  queueName: string,
  counts: Readonly<Record<string, number>>,
  workers: number | undefined,
  limits: BullmqLimits,
  ms: number,
): { passed: boolean; output: string } {
  const count = (state: string): number => Number(counts[state] ?? 0);
  const missed: string[] = [];
  for (const [option, state] of LIMITS) {
    const max = limits[option];
    if (max !== undefined && count(state) > max) {
      missed.push(bullmqAtMost(max, state));
    }
  }
  if (limits.requireWorkers && workers === 0) missed.push(bullmqNeedsWorker);
  const measured = bullmqCounts(
    queueName,
    COUNTED_STATES.map((state) => `${count(state)} ${state}`).join(', '),
    workers === undefined
      ? undefined
      : `${workers} worker${workers === 1 ? '' : 's'}`,
    ms,
  );
  return {
    passed: missed.length === 0,
    output: missed.length === 0 ? measured : outsideExpected(measured, missed),
  };
}

const isCount = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Refuses, naming the option, a limit that is not a whole number of jobs or a `requireWorkers` that is not a boolean. */
function validate(options: OwnOptions): void {
  for (const [option] of LIMITS) {
    options.check(option, 'a whole number of jobs, 0 or more', isCount);
  }
  options.check(
    'requireWorkers',
    'true or false',
    (value) => typeof value === 'boolean',
  );
}

const build = readyCheck<BullmqCheckOptions>(
  'bullmq',
  ['queue', 'maxWaiting', 'maxDelayed', 'maxFailed', 'requireWorkers'],
  (own, resolve) => {
    const queue = resolve(
      'queue',
      clientOption('bullmq', own, 'queue', BULLMQ_QUEUE_EXPECTED),
      isBullmqQueue,
      BULLMQ_QUEUE_EXPECTED,
    );
    const { maxWaiting, maxDelayed, maxFailed, requireWorkers } = own;
    const limits = { maxWaiting, maxDelayed, maxFailed, requireWorkers };
    return ({ signal }) => checkBullmq(queue, { ...limits, signal });
  },
);

/**
 * `checks.bullmq(name, { queue, maxWaiting?, maxDelayed?, maxFailed?, requireWorkers? })`: the queue's Redis
 * answers, its job counts stay within the limits, and with `requireWorkers` a worker is connected.
 */
export const bullmq = Object.assign(
  (name: string, options: BullmqCheckOptions & CommonCheckOptions) => {
    const given = new OwnOptions('bullmq', name, options);
    const definition = build(name, options);
    clientOption('bullmq', options, 'queue', BULLMQ_QUEUE_EXPECTED);
    validate(given);
    return definition;
  },
  { run: checkBullmq },
);
