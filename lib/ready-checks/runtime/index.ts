import { disk } from './disk.check.js';
import { eventLoop } from './event-loop.check.js';
import { heap } from './heap.check.js';
import { rss } from './rss.check.js';

export {
  checkDisk,
  type DiskCheckOptions,
  type DiskReading,
  type DiskRunOptions,
} from './disk.check.js';
export {
  checkEventLoop,
  type EventLoopCheckOptions,
  type EventLoopRunOptions,
} from './event-loop.check.js';
export type {
  EventLoopDelayReader,
  EventLoopDelayWindow,
} from './event-loop-delay.monitor.js';
export {
  checkHeap,
  type HeapCheckOptions,
  type HeapReading,
  type HeapRunOptions,
} from './heap.check.js';
export {
  checkRss,
  type RssCheckOptions,
  type RssRunOptions,
} from './rss.check.js';

/** The runtime family of the `checks` namespace: event-loop delay, V8 heap, resident memory, free disk space. */
export const runtimeChecks = { eventLoop, heap, rss, disk };
