import os from 'node:os';

/** The `os` section: the machine the process runs on. */
export function osSection(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    platform: os.platform(),
    type: os.type(),
    release: os.release(),
    arch: os.arch(),
    hostname: os.hostname(),
    uptime: os.uptime(),
    cpus: { count: cpus.length, model: cpus[0]?.model ?? null },
    loadavg: os.loadavg(),
    memory: { total: os.totalmem(), free: os.freemem() },
  };
}
