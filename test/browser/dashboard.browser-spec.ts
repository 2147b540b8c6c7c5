import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  HealthcheckModule,
  type HealthcheckModuleOptions,
  HealthcheckServer,
} from '../../lib/index.js';
import {
  SHOP_CHECK_NAMES,
  ShopChecks,
  ShopCheckSwitches,
} from '../fixtures/ui-app.fixture.js';

/** Where the screenshots of a run go; those of the app's own routes are also copied into the docs. */
const OUTPUT_DIR =
  process.env.BROWSER_OUTPUT_DIR ??
  join(tmpdir(), 'nestjs-healthcheck-browser');
const CHECK_NAMES = SHOP_CHECK_NAMES;

/** Where the page and its stream are served: the application's routes, or the module's own health server. */
const TRANSPORTS = ['app routes', 'health server'] as const;
type Transport = (typeof TRANSPORTS)[number];

interface RunningApp {
  /** Where the health routes live: the page is `${baseUrl}/ui`. */
  baseUrl: string;
  setPassing(check: string, passing: boolean): void;
  close(): Promise<void>;
}

/** The origin of a server listening on 127.0.0.1. */
const originOf = ({ port }: { port: number }) => `http://127.0.0.1:${port}`;

/** Boots a Nest application on Express with the shop's background checks and the dashboard on `transport`. */
async function startApp(transport: Transport): Promise<RunningApp> {
  const options: HealthcheckModuleOptions = {
    ui: { title: 'Shop health' },
    ...(transport === 'health server' && {
      server: { port: 0, host: '127.0.0.1' },
    }),
  };
  @Module({
    imports: [HealthcheckModule.forRoot(options)],
    providers: [ShopCheckSwitches, ShopChecks],
  })
  class ShopModule {}
  const app: INestApplication = await NestFactory.create(ShopModule, {
    logger: false,
    abortOnError: false,
  });
  await app.listen(0, '127.0.0.1');
  const address =
    transport === 'health server'
      ? app.get(HealthcheckServer).address()
      : (app.getHttpServer().address() as AddressInfo);
  if (!address) throw new Error(`no address for the ${transport}`);
  const switches = app.get(ShopCheckSwitches);
  return {
    baseUrl: `${originOf(address)}/healthcheck`,
    setPassing: (check, passing) => switches.setPassing(check, passing),
    close: () => app.close(),
  };
}

/** Opens a page that records console errors, uncaught exceptions and CSP violations. */
async function openPage(
  context: BrowserContext,
  problems: string[],
): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page: ${error.message}`));
  await page.exposeFunction('reportViolation', (text: string) =>
    problems.push(`csp: ${text}`),
  );
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      window.reportViolation(event.violatedDirective + ' ' + event.blockedURI));`,
  });
  return page;
}

const stateOf = (page: Page, check: string) =>
  page.getAttribute(`[data-check="${check}"]`, 'data-state');

/** A headless Chromium with a profile of its own, removed on close. */
async function launchBrowser(): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const profile = await mkdtemp(join(tmpdir(), 'healthcheck-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

describe.each(TRANSPORTS)('the dashboard page on the %s', (transport) => {
  let app: RunningApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let context: BrowserContext;
  /** Screenshot names of this transport; those of the app routes also go into the docs. */
  const inDocs = transport === 'app routes';
  const shotName = (name: string) =>
    inDocs ? `${name}.png` : `${name}-health-server.png`;

  beforeAll(async () => {
    await mkdir(OUTPUT_DIR, { recursive: true });
    app = await startApp(transport);
    browser = await launchBrowser();
    context = browser.context;
  }, 30_000);

  // The browser goes first: a socket it opened ahead of need, never used, holds up the server's close.
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  }, 30_000);

  it('shows every check and follows a failure live, without errors', async () => {
    const problems: string[] = [];
    const page = await openPage(context, problems);
    await page.goto(`${app.baseUrl}/ui`);

    await page.waitForSelector('.check[data-state="passing"]');
    await page.waitForFunction(
      `document.querySelectorAll('.check[data-state="passing"]').length === ${CHECK_NAMES.length}`,
    );
    for (const name of CHECK_NAMES) {
      expect(await stateOf(page, name)).toBe('passing');
    }
    expect(await page.textContent('#overall-title')).toBe('All checks passing');
    expect(await page.textContent('#title')).toBe('Shop health');
    expect(await page.title()).toBe('OK · Shop health');
    expect(await page.textContent('#connection-text')).toBe('Live');
    await page.evaluate('window.sameDocument = true');

    app.setPassing('redis', false);
    await page.waitForSelector('[data-check="redis"][data-state="failing"]', {
      timeout: 5_000,
    });
    app.setPassing('redis', true);
    app.setPassing('search-index', false);
    app.setPassing('payments-api', false);
    await page.waitForSelector(
      '[data-check="payments-api"][data-state="failing"]',
      { timeout: 5_000 },
    );
    await page.waitForSelector('[data-check="redis"][data-state="passing"]', {
      timeout: 5_000,
    });
    await page.waitForSelector(
      '[data-check="search-index"][data-state="failing"]',
      { timeout: 5_000 },
    );

    expect(await page.getAttribute('#overall', 'data-status')).toBe('failure');
    expect(await page.textContent('#overall-title')).toBe(
      'Failing: 1 critical check',
    );
    expect(await page.title()).toBe('Failing · Shop health');
    const payments = page.locator('[data-check="payments-api"]');
    expect(await payments.locator('.state').textContent()).toBe('Failing');
    expect(await payments.locator('.output').textContent()).toBe(
      'GET https://payments.internal/status answered 503',
    );
    expect(await payments.locator('.runbook').textContent()).toContain(
      'Call the payments team',
    );
    const postgresRunbook = page.locator('[data-check="postgres"] .runbook a');
    expect(await postgresRunbook.getAttribute('href')).toBe(
      'https://runbooks.example.com/postgres',
    );
    expect(
      await page.locator('[data-check="search-index"] .state').textContent(),
    ).toBe('Failing');
    expect(
      await page.locator('.timeline .event').first().textContent(),
    ).not.toBe('');
    await page.waitForFunction(
      `document.querySelectorAll('.timeline .event').length >= 5`,
    );
    expect(await page.evaluate('window.sameDocument')).toBe(true);

    await page.waitForTimeout(1_100);
    const shot = { fullPage: true, animations: 'disabled' } as const;
    const screenshot = async (name: string) => {
      await page.screenshot({
        ...shot,
        path: join(OUTPUT_DIR, shotName(name)),
      });
      if (inDocs) {
        await page.screenshot({ ...shot, path: `docs/${name}.png` });
      }
    };
    await screenshot('dashboard');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot('dashboard-dark');

    await page.setViewportSize({ width: 390, height: 844 });
    expect(
      await page.evaluate(
        'document.documentElement.scrollWidth <= window.innerWidth',
      ),
    ).toBe(true);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({
      ...shot,
      path: join(OUTPUT_DIR, shotName('dashboard-phone')),
    });

    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
