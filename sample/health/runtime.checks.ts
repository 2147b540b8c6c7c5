import { checks, type HealthCheckDefinition } from 'nestjs-healthcheck';

const MAX_EVENT_LOOP_DELAY_MS = Number(
  process.env.MAX_EVENT_LOOP_DELAY_MS ?? 200,
);
const MAX_HEAP_RATIO = Number(process.env.MAX_HEAP_RATIO ?? 0.9);
const DISK_PATH = process.env.DISK_PATH ?? process.cwd();
const MIN_FREE_BYTES =
  Number(process.env.DISK_MIN_FREE_MB ?? 100) * 1024 * 1024;

/**
 * Checks of the process and its host, from the library: a blocked event loop or a nearly full heap fail
 * liveness; a nearly full disk fails readiness, checked in the background every 30 s so probes never wait for
 * the file system. With the health server on its own thread (`threaded`), the thread's heartbeat limits decide
 * liveness for the event loop, so the event-loop check only takes the instance out of rotation after a slow
 * spell instead of failing liveness.
 */
export const runtimeChecks = ({
  threaded = false,
}: { threaded?: boolean } = {}): HealthCheckDefinition[] => [
  checks.eventLoop('event_loop', {
    maxDelayMs: MAX_EVENT_LOOP_DELAY_MS,
    successTtl: 5_000,
    tags: [threaded ? 'readiness' : 'liveness'],
  }),
  checks.heap('heap', { maxUsedRatio: MAX_HEAP_RATIO, tags: ['liveness'] }),
  checks.disk('disk_space', {
    path: DISK_PATH,
    minFreeBytes: MIN_FREE_BYTES,
    interval: 30_000,
    tags: ['readiness'],
    runbook: 'Free space on the volume that holds DISK_PATH, or grow it.',
  }),
];
