import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthcheckServer } from '../../lib/index.js';
import { BackgroundChecks, CheckSwitch } from '../fixtures/over-time.fixture.js';
import { healthcheckApps, PLATFORMS } from './platforms.js';

function head(port: number, path: string, method = 'HEAD') {
  return new Promise<string>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false }, (res) => {
      res.resume();
      const t = setTimeout(() => { req.destroy(); resolve(`${res.statusCode} no end within 1s ${JSON.stringify(res.headers)}`); }, 1000);
      res.on('end', () => { clearTimeout(t); resolve(`${res.statusCode} ended ${JSON.stringify(res.headers)}`); });
    });
    req.on('error', (e) => resolve('error ' + e.message));
    req.end();
  });
}
describe.each(PLATFORMS)('%s', (platform) => {
  const apps = healthcheckApps(platform);
  it('HEAD events', async () => {
    await apps.boot({ ui: true, server: { port: 0, host: '127.0.0.1', keepAppRoutes: true } }, { providers: [CheckSwitch, BackgroundChecks] });
    await apps.app.listen(0, '127.0.0.1');
    const port = (apps.app.getHttpServer().address() as AddressInfo).port;
    const own = apps.app.get(HealthcheckServer).address()!.port;
    console.log(platform, 'app HEAD', await head(port, '/healthcheck/events'));
    console.log(platform, 'own HEAD', await head(own, '/healthcheck/events'));
    console.log(platform, 'app HEAD ui', await head(port, '/healthcheck/ui'));
    console.log(platform, 'app POST events', await head(port, '/healthcheck/events', 'POST'));
    console.log(platform, 'app GET events/', await head(port, '/healthcheck/events/', 'GET'));
  });
});
