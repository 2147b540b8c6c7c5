#!/usr/bin/env node
// nestjs-healthcheck-probe URL [--timeout MS]: a health probe for containers without curl or wget, e.g.
// HEALTHCHECK CMD ["node", "node_modules/nestjs-healthcheck/bin/nestjs-healthcheck-probe.mjs", "http://127.0.0.1:3000/health/ready"]
import { runProbeCommand } from './probe-command.mjs';

const { exitCode, line, stream } = await runProbeCommand(process.argv.slice(2));
// Exits once the line is written: a host name lookup still running in libuv's pool must not hold the process.
process[stream].write(`${line}\n`, () => process.exit(exitCode));
