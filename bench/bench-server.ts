/**
 * One benchmark server per process: `node bench/dist/bench-server.js <scenario> <express|fastify|none>`.
 * Prints `READY <port>` once it listens. The static scenarios answer the body given in BENCH_BODY; the
 * `health-server*` scenarios are application contexts without an HTTP adapter and ignore the platform.
 */
import { createServer } from 'node:http';

const [scenario] = process.argv.slice(2);

/** The physical floor: node:http answering the same bytes and headers as the health server, and nothing else. */
async function listenFloor(): Promise<number> {
  const body = Buffer.from(process.env.BENCH_BODY ?? '{}');
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Length': body.length,
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const port =
  scenario === 'floor'
    ? await listenFloor()
    : await (await import('./nest-server.js')).listen();
process.stdout.write(`READY ${port}\n`);
