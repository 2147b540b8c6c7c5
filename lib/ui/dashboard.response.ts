import { baseHeaders, type HttpResponse } from '../report/http-response.js';
import {
  DASHBOARD_HTML,
  DASHBOARD_SCRIPT_HASH,
  DASHBOARD_STYLE_HASH,
} from './dashboard.page.js';

/** The page may run only its own script and style, and talk only to its own origin (the event stream). */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `script-src ${DASHBOARD_SCRIPT_HASH}`,
  `style-src ${DASHBOARD_STYLE_HASH}`,
  "connect-src 'self'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const DASHBOARD_RESPONSE: HttpResponse = Object.freeze({
  status: 200,
  headers: baseHeaders(
    {
      'Content-Security-Policy': DASHBOARD_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
    'text/html; charset=utf-8',
  ),
  body: DASHBOARD_HTML,
});

/** The response of `<path>/ui`: the static dashboard page (the title arrives with the event stream). */
export function dashboardResponse(): HttpResponse {
  return DASHBOARD_RESPONSE;
}
