export { resolveEnvironmentOptions } from './environment-options.resolver.js';
export { resolveModuleOptions } from './module-options.resolver.js';
