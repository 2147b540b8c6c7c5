import { baseHeaders, type HttpResponse } from '../report/http-response.js';
import type { HealthHistory } from './health-history.service.js';

/**
 * The response of `<path>/history`: `{ "entries": [...] }`, newest first, 200, never cached. `showDetails` is
 * the option's value for this request (a predicate already applied).
 */
export function historyResponse(
  history: HealthHistory,
  showDetails: boolean,
): HttpResponse {
  return {
    status: 200,
    headers: baseHeaders(),
    body: JSON.stringify({ entries: history.entries({ showDetails }) }),
  };
}
