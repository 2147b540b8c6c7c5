import { createHealthRouteMatcher } from '../health-route.matcher.js';
import {
  blockLimit,
  renderAnswer,
  runHealthServerWorker,
  tableKey,
} from './health-server.worker.js';

/**
 * The worker's program as source text, run with `eval: true`: the same text works from the ES module build, the
 * CommonJS build and the TypeScript sources under test, with no file path to resolve.
 */
export function healthServerWorkerSource(): string {
  const functions = [
    createHealthRouteMatcher,
    tableKey,
    blockLimit,
    renderAnswer,
    runHealthServerWorker,
  ];
  return [
    '"use strict";',
    ...functions.map(String),
    `${runHealthServerWorker.name}(require('node:worker_threads'), require('node:http'));`,
  ].join('\n');
}
