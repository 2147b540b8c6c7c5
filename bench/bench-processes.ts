/**
 * What every part of the bench needs to run servers in processes of their own and to read what they cost: the
 * core pinning, starting and stopping a benchmark server (bench-server.ts), and a process's CPU time and memory
 * from /proc.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const serverScript = join(here, 'bench-server.js');

export interface Server {
  child: ChildProcess;
  url: string;
}

/**
 * On a machine with two or more cores, servers share core 0 and the load generator gets core 1, so every row
 * runs on the same core and no server competes with autocannon.
 */
export const pinning = (() => {
  if (os.availableParallelism() < 2) return undefined;
  try {
    execFileSync('taskset', ['-p', '-c', '1', String(process.pid)], {
      stdio: 'ignore',
    });
    return ['taskset', '-c', '0'];
  } catch {
    return undefined;
  }
})();

/** Starts `bench-server.js <scenario> <platform>` (pinned to the servers' core) and waits for its `READY <port>`. */
export async function startServer(
  scenario: string,
  platform: string,
  body = '{}',
): Promise<Server> {
  const command = [
    process.execPath,
    '--expose-gc',
    serverScript,
    scenario,
    platform,
  ];
  const [program, ...args] = pinning ? [...pinning, ...command] : command;
  const child = spawn(program, args, {
    env: { ...process.env, BENCH_BODY: body },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${scenario} (${platform}) exited with ${code}`)),
    );
    lines.on('line', (line) => {
      const match = /^READY (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

export async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGKILL');
  await exited;
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  } catch {
    return 100;
  }
})();

/** User and system CPU time of a process (all its threads), in seconds, from /proc; NaN where there is none. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return Number.NaN;
  }
}

/** Peak resident memory of a process, in bytes, from /proc. */
export function peakRssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

/** The median of some numbers (the upper one of an even count). */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The value below which `fraction` of the numbers lie (nearest rank). */
export function percentileOf(
  values: readonly number[],
  fraction: number,
): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}
