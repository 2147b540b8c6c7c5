import { bullmq } from './bullmq.check.js';

export {
  checkBullmq,
  judgeJobCounts,
  type BullmqCheckOptions,
  type BullmqLimits,
  type BullmqRunOptions,
} from './bullmq.check.js';
export { isBullmqQueue, type BullmqQueueLike } from './bullmq-queue.js';

/** The job-queue family of the `checks` namespace. */
export const queueChecks = { bullmq };
