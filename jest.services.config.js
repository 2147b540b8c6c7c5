import base from './jest.config.js';

/** Suites that need real servers; `npm run test:services` starts them first. */
export default {
  ...base,
  testMatch: ['**/*.services-spec.ts'],
  maxWorkers: 1,
};
