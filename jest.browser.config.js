import base from './jest.config.js';

/** Suites that drive a real browser; `npm run test:browser` runs them. */
export default {
  ...base,
  testMatch: ['**/*.browser-spec.ts'],
  maxWorkers: 1,
};
