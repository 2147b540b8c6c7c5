import { request as httpRequest } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request to 127.0.0.1 on a connection of its own (no agent, so nothing stays open), or on `agent`
 * when given, e.g. a keep-alive agent.
 */
export function rawRequest(
  port: number,
  path: string,
  {
    method = 'GET',
    headers = {},
    agent,
  }: {
    method?: string;
    headers?: Record<string, string>;
    agent?: import('node:http').Agent;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        headers,
        agent: agent ?? false,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
          }),
        );
      },
    );
    request.setTimeout(5_000, () =>
      request.destroy(new Error(`no answer from ${path}`)),
    );
    request.on('error', reject);
    request.end();
  });
}
