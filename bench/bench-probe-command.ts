/**
 * Times the probe command as a container runs it: a new Node.js process that requests a health route, prints its
 * line and exits. Side by side in the same rounds, `node -e ""` is the floor (starting and stopping Node.js), so
 * the ratio and the difference show what the command itself adds.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The executable as the package ships it; from bench/dist this is ../../bin. */
export const PROBE_SCRIPT = join(
  here,
  '..',
  '..',
  'bin',
  'nestjs-healthcheck-probe.mjs',
);
const serverScript = join(here, 'bench-server.js');

interface Target {
  label: string;
  argv: string[];
  /** What the command must print, so that a failing probe is not timed as a fast one. */
  expect?: string;
}

interface Timing {
  label: string;
  samples: number[];
}

/** Starts a benchmark server (see bench-server.ts) and answers its URL and a stop function. */
async function startServer(
  scenario: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [serverScript, scenario, 'express'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${scenario} exited with ${code}`)),
    );
    lines.on('line', (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Wall time of one run, spawn to exit, in ms; throws when the command fails or prints something unexpected. */
async function timeOnce({ argv, expect }: Target): Promise<number> {
  const startedAt = performance.now();
  const child = spawn(process.execPath, argv, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (text) => (stdout += text));
  const [code] = (await once(child, 'close')) as [number | null];
  const elapsed = performance.now() - startedAt;
  if (code !== 0 || (expect !== undefined && stdout !== expect)) {
    throw new Error(
      `node ${argv.join(' ')} exited with ${code} and printed ${JSON.stringify(stdout)}`,
    );
  }
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Times every target `runs` times, the targets in turn within each round so that they share the machine's state. */
export async function timeProbeCommand(
  runs: number,
  appUrl: string,
  healthServerUrl: string,
): Promise<Timing[]> {
  const targets: Target[] = [
    { label: '`node -e ""` (floor)', argv: ['-e', ''] },
    {
      label: 'probe command, app route',
      argv: [PROBE_SCRIPT, `${appUrl}/healthcheck`],
      expect: 'healthy: HTTP 200\n',
    },
    {
      label: 'probe command, health server',
      argv: [PROBE_SCRIPT, `${healthServerUrl}/healthcheck`],
      expect: 'healthy: HTTP 200\n',
    },
  ];
  const timings = targets.map(({ label }) => ({
    label,
    samples: [] as number[],
  }));
  for (const target of targets) await timeOnce(target);
  for (let round = 0; round < runs; round++) {
    for (const [index, target] of targets.entries()) {
      timings[index].samples.push(await timeOnce(target));
    }
  }
  return timings;
}

/** Times the probe command against an app and a health server (both in processes of their own) and answers the Markdown of the "Probe command" section. */
export async function benchProbeCommand({
  quick = false,
}: { quick?: boolean } = {}): Promise<string[]> {
  const runs = quick ? 5 : 20;
  const app = await startServer('module');
  try {
    const healthServer = await startServer('health-server');
    try {
      const [floor, ...probes] = await timeProbeCommand(
        runs,
        app.url,
        healthServer.url,
      );
      const floorMs = median(floor.samples);
      const row = ({ label, samples }: Timing) =>
        `| ${label} | ${median(samples).toFixed(1)} | ${Math.min(...samples).toFixed(1)} | ` +
        `${Math.max(...samples).toFixed(1)} | ${(median(samples) / floorMs).toFixed(2)} × |`;
      const added = probes.map(
        ({ label, samples }) =>
          `${label}: ${(median(samples) - floorMs).toFixed(1)} ms`,
      );
      return [
        '## Probe command',
        '',
        `\`nestjs-healthcheck-probe URL\` as a container's HEALTHCHECK runs it: a new Node.js process that ` +
          `requests the route on a fresh connection, prints its line and exits, timed from spawn to exit by the ` +
          `runner; ${runs} runs of each command, in turn. The app (Express, the five fast checks) and the health ` +
          `server run in processes of their own.`,
        '',
        '| command | median ms | fastest ms | slowest ms | × `node -e ""` |',
        '| --- | ---: | ---: | ---: | ---: |',
        row(floor),
        ...probes.map(row),
        '',
        `What the command adds to starting Node.js (median minus the floor's median): ${added.join('; ')}.`,
      ];
    } finally {
      await healthServer.stop();
    }
  } finally {
    await app.stop();
  }
}
