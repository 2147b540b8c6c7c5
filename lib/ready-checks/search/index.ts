import { searchHealthCheck } from './search-health.check.js';

export {
  checkSearchHealth,
  type SearchCheckOptions,
  type SearchEngine,
} from './search-health.check.js';
export { isSearchClient, type SearchClientLike } from './search-client.js';

/** The search family of the `checks` namespace: the cluster health of Elasticsearch or OpenSearch. */
export const searchChecks = {
  elasticsearch: searchHealthCheck('elasticsearch'),
  opensearch: searchHealthCheck('opensearch'),
};
