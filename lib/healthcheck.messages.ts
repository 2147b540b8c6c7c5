/** Every text this module shows a user, as functions so that tests can reuse them. */
import { escapeLogText } from './logging/log-text.js';

/* Messages written to the log pass every user-controlled value through escapeLogText: one value, one line. */

export const invalidOption = (
  option: string,
  expected: string,
  got: string,
): string =>
  `Invalid HealthcheckModule option "${option}": expected ${expected}, got ${got}.`;

export const unknownOption = (
  owner: string,
  option: string,
  known: string[],
): string =>
  `Unknown option "${option}" of ${owner}. Known options: ${known.join(', ')}.`;

export const MODULE_OWNER = 'HealthcheckModule';

export const checkOwner = (where: string): string => `health check ${where}`;

export const routeCollision = (
  first: string,
  second: string,
  route: string,
): string =>
  `HealthcheckModule options ${first} and ${second} both serve the route "/${route}". ` +
  `Give one of them another path.`;

export const moduleImportedTwice = (first: string, second: string): string =>
  `HealthcheckModule is imported twice (${first}, then ${second}). It is global: import it once, in the root ` +
  `module, and inject HealthCheckRunner wherever it is needed.`;

export const outputTruncated = (totalBytes: number, limit: number): string =>
  `… [truncated: ${totalBytes} bytes of output, limit ${limit}]`;

export const methodNotAllowed = (method: string): string =>
  `Method ${method} is not allowed on the health routes; use GET or HEAD.`;

export const maxStalenessWithoutInterval = 'to be given together with interval';

export const missingDependency = (
  source: string,
  option: string,
  token: string,
  reason: string,
): string =>
  `${source}: option "${option}" names ${token}, but no provider of it was found (${reason}). ` +
  `Provide it in a module the application imports, or pass the instance itself.`;

export const wrongDependency = (
  source: string,
  option: string,
  expected: string,
  got: string,
): string => `${source}: option "${option}" expected ${expected}, got ${got}.`;

export const asyncRouteOptionMismatch = (option: string): string =>
  `HealthcheckModule.forRootAsync(): "${option}" decides which routes exist, so it must be given at the top level ` +
  `of forRootAsync({ ${option}, useFactory }), not only in the options the factory returns.`;

export const invalidCheckOption = (
  where: string,
  option: string,
  expected: string,
  got: string,
): string =>
  `Invalid option "${option}" of health check ${where}: expected ${expected}, got ${got}.`;

export const duplicateCheck = (
  name: string,
  first: string,
  second: string,
): string =>
  `Two health checks are named "${name}": ${first} and ${second}. ` +
  `Give one of them its own name, e.g. @HealthCheck({ name: '${name}_2' }).`;

export const duplicateSection = (
  name: string,
  first: string,
  second: string,
): string =>
  `Two sections are named "${name}": ${first} and ${second}. Give one of them its own name.`;

export const reservedSectionName = (
  name: string,
  where: string,
  reserved: readonly string[],
): string =>
  `The section name "${name}" at ${where} is taken by the report itself (${reserved.join(', ')}). ` +
  `Choose another name.`;

export const invalidSectionName = (where: string, got: string): string =>
  `Invalid section name at ${where}: expected a non-empty string, got ${got}.`;

export const notAFunction = (where: string, got: string): string =>
  `Invalid health check ${where}: expected a function, got ${got}.`;

export const nonStaticProvider = (
  className: string,
  methodName: string,
  decorator: string,
): string =>
  `@${decorator}() on ${escapeLogText(className)}.${escapeLogText(methodName)} is skipped: ${escapeLogText(className)} ` +
  `is transient or request-scoped, or ` +
  `depends on a request-scoped provider, so no single instance exists to call. Move the method to a ` +
  `singleton provider.`;

export const checkTimedOut = (timeoutMs: number): string =>
  `timed out after ${timeoutMs} ms`;

export const checkAborted = (reason: string): string => `aborted: ${reason}`;

export const applicationShuttingDown = 'the application is shutting down';

export const unexpectedCheckReturn = (described: string): string =>
  `check returned ${described}; expected [passed, output], { passed, output } or a boolean`;

export const observableCompletedEmpty = 'completed without emitting a value';

export const thrownNonError = (described: string): string =>
  `threw ${described}`;

export const checkStartedFailing = (name: string, output: string): string =>
  `Health check "${escapeLogText(name)}" is failing: ${escapeLogText(output)}`;

export const checkRecovered = (name: string): string =>
  `Health check "${escapeLogText(name)}" has recovered`;

export const handlerFailed = (handler: string, message: string): string =>
  `${escapeLogText(handler)} threw while building the health response: ${escapeLogText(message)}`;

export const handlerFailedPublic = (handler: string): string =>
  `${handler} threw while building the health response; the error is in the application's logs.`;

export const headerNotSettable = (name: string): string =>
  `is set by the server for every response (${name} frames the body or the connection) and cannot be given`;

export const unknownSelection = (
  kind: 'check' | 'tag',
  value: string,
): string =>
  kind === 'check'
    ? `No health check is named "${value}".`
    : `No health check is tagged "${value}".`;

export const checkPending =
  'pending: the background check has not finished its first run';

export const checkStale = (ageMs: number, maxStalenessMs: number): string =>
  `stale: no new result for ${ageMs} ms, more than the allowed ${maxStalenessMs} ms (the background runs stopped, or the event loop was blocked)`;

export const streamClientsFull = (max: number): string =>
  `The event stream already has ${max} clients; try again later.`;

export const readinessShuttingDown = 'the application is shutting down';

export const statusListenerFailed = (message: string): string =>
  `onStatusChange threw: ${escapeLogText(message)}`;

export const oneCheckOnly =
  'Give ?check once: it selects one check. Use the group routes or ?exclude for more.';

export const healthEventListenerFailed = (message: string): string =>
  `A health event listener threw: ${escapeLogText(message)}`;

export const readyCheckRunFailed = (kind: string, reason: string): string =>
  `checks.${kind}.run() could not run the check: ${reason}`;

export const readyCheckMissingOption = (
  kind: string,
  option: string,
  expected: string,
): string =>
  `checks.${kind}() needs the option "${option}": ${expected}, or the DI token of one.`;

export const roundTripAnswered = (what: string, ms: number): string =>
  `${what} answered in ${ms.toFixed(1)} ms`;

export const roundTripFailed = (
  what: string,
  target: string,
  reason: string,
): string => `${what} against ${target} failed: ${reason}`;

export const earlierProbeUnanswered = (
  what: string,
  reason: string,
  ageMs: number,
): string =>
  `${reason}; the ${what} sent ${(ageMs / 1000).toFixed(1)} s earlier on the same client has not been answered yet`;

export const earlierLookupPending = (hostname: string, ageMs: number): string =>
  `the system lookup of ${hostname} started ${(ageMs / 1000).toFixed(1)} s earlier has not returned yet; it ` +
  `cannot be cancelled and holds one of libuv's pool threads, so no other lookup is started until it returns`;

export const dataSourceNotInitialized =
  'the DataSource is not initialized: call dataSource.initialize() first';

export const mongooseNotOpened =
  'the connection has not been opened: call mongoose.connect() or connection.openUri() first';

export const metricsNeedPromClient = (cause: string): string =>
  `The HealthcheckModule option "metrics" needs the package "prom-client", which could not be loaded (${cause}). ` +
  `Install it (npm install prom-client) or leave the option out.`;

export const otelNeedsApi = (cause: string): string =>
  `The HealthcheckModule option "otel" needs the package "@opentelemetry/api", which could not be loaded (${cause}). ` +
  `Install it (npm install @opentelemetry/api), give your own Meter with "otel: { meter }", or leave the option out.`;

export const otelCheckFailing = (name: string): string =>
  `Health check "${name}" is failing`;

export const otelCheckRecovered = (name: string): string =>
  `Health check "${name}" has recovered`;

export const otelOverallChanged = (status: string): string =>
  `Overall health is now ${status}`;

export const metricNameTaken = (name: string): string =>
  `Cannot register the health metric "${name}": the registry already holds a metric of that name that ` +
  `HealthcheckModule did not create. Set another prefix with the option "metrics.prefix" or another registry ` +
  `with "metrics.registry".`;

export const redisClientNotConnected = (kind: string, state: string): string =>
  `not sent: the ${kind} client is ${state}`;

export const unexpectedReply = (reply: string, expected: string): string =>
  `the server answered ${reply}, expected ${expected}`;

export const natsNotConnected = (code: string, state: string): string =>
  `${code} (the client is ${state})`;

export const kafkaNoMetadata =
  'no broker of the cluster answered the metadata request';

export const microservicePatternMissing = (kind: string): string =>
  `checks.${kind}() needs the option "pattern": a message pattern the microservice answers ` +
  `(e.g. @MessagePattern('health.ping') returning 'pong').`;

export const grpcHealthCheckMissing = (cause: string): string =>
  `GrpcHealthService needs the packages "grpc-health-check" and "@grpc/grpc-js": install them to serve ` +
  `grpc.health.v1.Health. Loading "grpc-health-check" failed: ${cause}`;

export const grpcHealthCheckUnusable =
  'The installed "grpc-health-check" exports no grpc.health.v1.Health service definition ' +
  '(expected `service` with Check, Watch and List); install version 2 or later.';

export const asyncFactoryNotOptions = (described: string): string =>
  `HealthcheckModule.forRootAsync(): the factory must return an options object (\`{}\` or nothing for the ` +
  `defaults), but it returned ${described}.`;

/** Longest part of an unknown gRPC service name repeated in the answer. */
const SHOWN_SERVICE_NAME = 200;

export const grpcUnknownService = (name: string): string =>
  `No health service is named "${name.length > SHOWN_SERVICE_NAME ? `${name.slice(0, SHOWN_SERVICE_NAME)}…` : name}": ask for "" (all checks), liveness, readiness, startup, ` +
  'a check tag or a check name.';

export const grpcWatchFailed = (service: string, message: string): string =>
  `The gRPC health Watch of "${escapeLogText(service)}" could not read its status: ${escapeLogText(message)}`;

export const amqpNotConnected =
  'not sent: the connection is down and amqplib is reconnecting';

export const checkOptionsNotObject = (where: string, got: string): string =>
  `Invalid options of health check ${where}: expected an object, got ${got}.`;

export const unknownCheckOption = (
  where: string,
  option: string,
  known: readonly string[],
): string =>
  `Health check ${where} has no option "${option}"; it takes ${known.map((key) => `"${key}"`).join(', ')} ` +
  `and the usual check options.`;

export const missingCheckThreshold = (
  where: string,
  options: readonly string[],
): string =>
  `Health check ${where} needs at least one of the options ${options.map((key) => `"${key}"`).join(', ')}: ` +
  `without a threshold it could never fail.`;

export const outsideExpected = (
  measured: string,
  expectations: readonly string[],
): string => `${measured}, expected ${expectations.join(' and ')}`;

export const eventLoopDelayMeasured = (
  percentile: number,
  delay: string,
  window: string,
): string => `event-loop delay p${percentile} ${delay} over the last ${window}`;

export const eventLoopNotSampledYet = (window: string): string =>
  `no event-loop delay sampled yet (monitoring for ${window})`;

export const heapMeasured = (
  used: string,
  share: string,
  limit: string,
): string => `heap ${used} used, ${share} of the ${limit} limit`;

export const rssMeasured = (rss: string): string => `rss ${rss}`;

export const diskFreeMeasured = (
  share: string,
  path: string,
  free: string,
  total: string,
): string => `${share} free on ${path} (${free} of ${total})`;

export const diskUnreadable = (path: string, reason: string): string =>
  `could not read the free space on ${path}: ${reason}`;

export const httpAnswered = (
  method: string,
  url: string,
  status: number,
  ms: number,
): string => `${method} ${url}: status ${status} in ${ms.toFixed(1)} ms`;

export const httpWrongStatus = (
  method: string,
  url: string,
  status: number,
  expected: string,
): string => `${method} ${url}: status ${status}, expected ${expected}`;

export const httpBodyRejected = (
  method: string,
  url: string,
  status: number,
  body: string,
): string =>
  `${method} ${url}: status ${status}, but expectBody rejected the body ${body}`;

export const httpBodyPredicateThrew = (
  method: string,
  url: string,
  status: number,
  reason: string,
): string =>
  `${method} ${url}: status ${status}, but expectBody threw: ${reason}`;

export const httpFailed = (
  method: string,
  url: string,
  reason: string,
): string => `${method} ${url}: ${reason}`;

export const tcpConnected = (host: string, port: number, ms: number): string =>
  `connected to ${hostPort(host, port)} in ${ms.toFixed(1)} ms`;

export const tcpFailed = (host: string, port: number, reason: string): string =>
  `could not connect to ${hostPort(host, port)}: ${reason}`;

const hostPort = (host: string, port: number): string =>
  host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;

export const dnsResolved = (
  hostname: string,
  how: string,
  answers: string,
  ms: number,
): string => `${how} of ${hostname}: ${answers} in ${ms.toFixed(1)} ms`;

export const dnsFailed = (
  hostname: string,
  how: string,
  reason: string,
): string => `${how} of ${hostname} failed: ${reason}`;

export const grpcClientMissing = (specifier: string, cause: string): string =>
  `checks.grpc() needs the package "${specifier}": install it to call grpc.health.v1.Health on another ` +
  `server. Loading it failed: ${cause}`;

const grpcHealthOf = (service: string, url: string): string =>
  `grpc.health.v1.Health/Check of ${service === '' ? 'the server' : `service "${service}"`} at ${url}`;

export const grpcServing = (service: string, url: string, ms: number): string =>
  `${grpcHealthOf(service, url)}: SERVING in ${ms.toFixed(1)} ms`;

export const grpcNotServing = (
  service: string,
  url: string,
  status: string,
): string => `${grpcHealthOf(service, url)}: ${status}, expected SERVING`;

export const grpcCheckFailed = (
  service: string,
  url: string,
  reason: string,
): string => `${grpcHealthOf(service, url)} failed: ${reason}`;

export const noHealthRoute = (path: string): string =>
  `No health route at ${path}.`;

export const healthServerPortInUse = (host: string, port: number): string =>
  `The health server cannot listen on ${host}:${port}: the port is already in use. ` +
  `Choose another "server.port" (0 picks a free one).`;

export const healthServerListenFailed = (
  host: string,
  port: number,
  reason: string,
): string => `The health server cannot listen on ${host}:${port}: ${reason}`;

export const threadLimitsOutOfOrder = (limits: {
  notReadyAfter: number;
  notLiveAfter: number;
}): string =>
  `HealthcheckModule option "server.thread": notLiveAfter (${limits.notLiveAfter} ms) is shorter than ` +
  `notReadyAfter (${limits.notReadyAfter} ms). A busy main thread should stop taking traffic before it is ` +
  `restarted: make notLiveAfter at least notReadyAfter.`;

export const mainThreadBlocked = (blockedMs: string, limitMs: number): string =>
  `The main thread's event loop has been blocked for ${blockedMs} ms (this probe fails after ${limitMs} ms).`;

export const mainThreadBusy =
  'The main thread is busy and could not answer this request in time; try again.';

export const healthServerWorkerFailed = (reason: string): string =>
  `The health server's worker thread stopped (${escapeLogText(reason)}); starting a new one.`;

export const drainNeedsAuthorize =
  'The drain route on the health server needs the option "server.authorize".';

export const drainForbidden =
  'server.authorize refused this request to the drain route.';

export const drainedThrough = (
  method: string,
  remoteAddress: string | undefined,
): string =>
  `drained through ${method} on the health server by ${remoteAddress ?? 'an unknown client'}`;

export const drainRouteDurationInvalid = (got: string, maxMs: number): string =>
  `The drain route's forMs must be a whole number of milliseconds from 1 to ${maxMs}; got ${JSON.stringify(got.length > 40 ? `${got.slice(0, 40)}…` : got)}. Leave it out for a drain without an end.`;

export const environmentNeedsAuthorize =
  'The environment route on the health server needs the option "server.authorize": Nest guards do not run here.';

export const environmentForbidden =
  'server.authorize refused this request to the environment route.';

export const authorizeTimedOut = (ms: number): string =>
  `server.authorize did not decide within ${ms} ms; the request is refused. Try again later.`;

export const healthRouteFailed = (reason: string): string =>
  `The health route failed: ${escapeLogText(reason)}`;

export const swaggerDocsFailed = (reason: string): string =>
  `HealthcheckModule could not document its routes for @nestjs/swagger: ${reason}. Set "swagger: false" to ` +
  `leave them out of the document.`;

export const readyCheckCloseFailed = (source: string, reason: string): string =>
  `${escapeLogText(source)} could not release its resources at shutdown: ${escapeLogText(reason)}`;

export const asyncOptionsSourceMissing =
  'HealthcheckModule.forRootAsync() needs one of useFactory, useClass or useExisting.';

export const invalidHeaderOption = (
  option: string,
  header: string,
  problem: string,
): string =>
  `Invalid HealthcheckModule option "${option}": the header ${JSON.stringify(header)} ${problem}.`;

export const headerNameInvalid =
  'is not a valid header name (header names are HTTP tokens)';

export const headerValueInvalid = (value: string): string =>
  `has the value ${JSON.stringify(value)}, which HTTP does not allow (no CR, LF or other control characters)`;

export const ttlOnBackgroundCheck = (
  where: string,
  option: string,
  interval: number,
): string =>
  `Option "${option}" of health check ${where} does nothing: the check runs in the background every ` +
  `${interval} ms (option "interval"), and a background check's result lives for its interval, until the next ` +
  `run. Remove "${option}", or remove "interval" to run the check on demand with cached results.`;

export const ignoredOnHealthServer = (option: string): string =>
  `HealthcheckModule option "${option}" would be ignored: with "server" set and "server.keepAppRoutes" not true, ` +
  `the health routes live only on the health server, where Nest guards and decorators do not run. Remove ` +
  `"${option}" and use "server.authorize" (the environment) and "showDetails" (check outputs), which apply there, ` +
  `or set "server.keepAppRoutes: true" to keep the guarded routes on the application as well.`;

export const terminusNotAResult = (described: string): string =>
  `terminus indicator returned ${described}; expected a result such as { database: { status: 'up' } }`;

export const terminusEmptyResult =
  "terminus indicator returned an object without keys; expected a result such as { database: { status: 'up' } }";

export const terminusBadEntry = (key: string, described: string): string =>
  `terminus indicator result "${key}" is ${described}; expected { status: 'up' | 'degraded' | 'down', ...details }`;

export const bullmqCounts = (
  queue: string,
  counts: string,
  workers: string | undefined,
  ms: number,
): string =>
  `BullMQ queue "${queue}": ${counts}${workers === undefined ? '' : `, ${workers}`} (read in ${ms.toFixed(1)} ms)`;

export const bullmqAtMost = (max: number, state: string): string =>
  `at most ${max} ${state} (option "max${state[0].toUpperCase()}${state.slice(1)}")`;

export const bullmqNeedsWorker =
  'at least one worker connected (option "requireWorkers")';

export const bullmqConnectionDown = (status: string): string =>
  `not sent: the queue's ioredis connection is ${status === 'end' ? 'closed' : 'reconnecting'} (status "${status}")`;

export const memcachedStillWaiting = (servers: readonly string[]): string =>
  `no answer yet from ${servers.join(', ')} (the other servers answered)`;

export const memcachedNoServers =
  'the client has no memcached server in its list';

export const mqttNotAClient = (given: string): string =>
  `not sent: ${given} is not an mqtt.js MqttClient (the result of mqtt.connect())`;

export const mqttNotConnected = (state: string): string =>
  `not sent: the MQTT client is ${state}`;

export const etcdStatusDetails = (
  version: string,
  leader: string,
  dbSize: string,
): string => `etcd ${version}, leader ${leader}, database ${dbSize}`;

export const etcdNoLeader =
  'the member knows no leader: the cluster has lost its quorum or is still electing one';

export const etcdMemberErrors = (errors: string): string =>
  `the member reports: ${errors}`;

export const ldapRootDseDetails = (versions: string): string =>
  versions === ''
    ? 'the root DSE entry was not returned (hidden from this connection)'
    : `LDAP version ${versions}`;

export const ldapBindOptionsPair = (where: string, given: string): string =>
  `Health check ${where} takes "bindDN" and "password" together: "${given}" was given alone. Give both to ` +
  `bind as that account, or neither for an anonymous root DSE search.`;

export const tlsHandshakeFailed = (target: string, reason: string): string =>
  `TLS handshake with ${target} failed: ${reason}`;

export const tlsNotSpoken = (code: string): string =>
  `the server does not speak TLS on this port, its answer is not a TLS record (${code})`;

export const tlsProtocolError = (reason: string, code: string): string =>
  `the TLS protocol failed: ${reason} (${code})`;

export const tlsCertificateExpiry = (date: string, days: number): string =>
  days >= 0
    ? `expires on ${date}, ${days} ${days === 1 ? 'day' : 'days'} left`
    : `expired on ${date}, ${-days} ${days === -1 ? 'day' : 'days'} ago`;

export const tlsCertificateValid = (
  target: string,
  certificate: string,
  expiry: string,
): string => `TLS certificate of ${target} (${certificate}) ${expiry}`;

export const tlsCertificateRejected = (
  target: string,
  certificate: string,
  problems: readonly string[],
  expiry: string,
): string =>
  `TLS certificate of ${target} (${certificate}) ${problems.join(', and ')}; it ${expiry}`;

export const tlsExpired = 'has expired';

export const tlsNotYetValid = (date: string): string =>
  `is not valid before ${date}`;

export const tlsExpiresSoon = (minValidDays: number): string =>
  `expires within ${minValidDays} ${minValidDays === 1 ? 'day' : 'days'} (minValidDays)`;

export const tlsWrongHost = (hostname: string, reason: string): string =>
  `is not valid for ${hostname} (${reason})`;

export const tlsUntrusted = (reason: string): string =>
  `is not trusted (${reason})`;

export const tlsChainExpired = (
  certificate: string,
  date: string,
  code: string,
): string => `${certificate} in its chain expired on ${date}: ${code}`;

export const tlsChainNotYetValid = (
  certificate: string,
  date: string,
  code: string,
): string => `${certificate} in its chain is not valid before ${date}: ${code}`;

export const tlsChainDates = (code: string): string =>
  `a certificate of its chain is outside its dates: ${code}`;

export const tlsNoCertificate = (target: string): string =>
  `TLS handshake with ${target} completed, but the server presented no certificate`;

export const drainOptionsInvalid = (got: string): string =>
  `HealthCheckRunner.drain() takes an object { reason?: string; forMs?: number } or nothing; got ${got}.`;

export const drainReasonInvalid = (got: string): string =>
  `HealthCheckRunner.drain(): reason must be a string; got ${got}.`;

export const drainDurationInvalid = (got: string, maxMs: number): string =>
  `HealthCheckRunner.drain(): forMs must be a whole number of milliseconds from 1 to ${maxMs}; got ${got}. Leave it out for a drain without an end.`;

export const drainStarted = (
  reason: string | undefined,
  until: string | undefined,
): string =>
  `Drained (readiness fails) ${until === undefined ? 'with no end' : `until ${until}`}${reason === undefined ? '' : `: ${reason}`}`;

export const drainEnded = 'Drain ended: readiness follows the checks again';

export const smtpAnswered = (
  target: string,
  overTls: boolean,
  ms: number,
): string =>
  `${target}: EHLO answered 250${overTls ? ' after STARTTLS' : ''} in ${ms.toFixed(1)} ms`;

export const smtpUnexpectedReply = (
  target: string,
  step: string,
  reply: string,
  expected: number,
): string => `${target}: ${step} was ${reply}, expected ${expected}`;

export const smtpFailed = (
  target: string,
  step: string,
  reason: string,
): string => `${target}: ${reason} (${step})`;

export const smtpNoStarttls = (target: string): string =>
  `${target}: EHLO answered 250 but does not offer STARTTLS, which the check was told to use (starttls: true)`;

export const smtpOptionsConflict = (where: string, given: string): string =>
  `Health check ${where} takes either "transporter" or "host" and "port": "${given}" was given beside ` +
  `"transporter". Give the transporter alone (it is verified with its own settings), or host and port alone.`;

export const etcdCircuitOpen = (reason: string): string =>
  `${reason} (etcd3 sends nothing to this host for a while after consecutive failures; it tries again on its own)`;

export const ldapResultCode = (
  result: string,
  code: number,
  diagnostic: string,
): string =>
  `the server answered ${result} (LDAP result code ${code})${diagnostic === '' ? '' : `: ${diagnostic}`}`;

export const ldapMessageWithheld =
  'a message that is not shown, as it contains the password';

const clusterNamed = (name: string | undefined): string =>
  name === undefined ? 'the cluster' : `cluster "${name}"`;

export const searchClusterGreen = (
  name: string | undefined,
  shards: string,
  ms: number,
): string =>
  `${clusterNamed(name)} is green${shards ? `: ${shards}` : ''} (answered in ${ms.toFixed(1)} ms)`;

export const searchClusterYellow = (
  name: string | undefined,
  shards: string,
  ms: number,
): string =>
  `${clusterNamed(name)} is yellow: every primary shard is assigned but some replicas are not, so it serves ` +
  `searches and writes with less redundancy${shards ? ` (${shards})` : ''} (answered in ${ms.toFixed(1)} ms)`;

export const searchClusterRed = (
  name: string | undefined,
  target: string,
  shards: string,
): string =>
  `${clusterNamed(name)} of ${target} is red: some primary shards are not assigned, so part of the data ` +
  `cannot be searched or written${shards ? ` (${shards})` : ''}`;
