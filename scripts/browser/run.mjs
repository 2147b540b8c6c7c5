// `npm run test:browser`: installs Chromium when /usr/bin/chromium is missing (Debian/Ubuntu, apt-get), then runs
// the suites that drive it (jest.browser.config.js).
import { existsSync } from 'node:fs';
import { aptInstall, runJest } from '../system-suite.mjs';

const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) aptInstall('test:browser', ['chromium']);
if (!existsSync(CHROMIUM)) {
  console.error(
    `test:browser: ${CHROMIUM} is still missing after installing chromium.`,
  );
  process.exit(1);
}
runJest('jest.browser.config.js');
