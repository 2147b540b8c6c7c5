import os from 'node:os';

/** The `process` section: how the process was started and what it uses. */
export function processSection(): Record<string, unknown> {
  return {
    argv: process.argv,
    cwd: process.cwd(),
    user: currentUser(),
    pid: process.pid,
    ppid: process.ppid,
    uptime: process.uptime(),
    memoryUsage: process.memoryUsage(),
    env: { ...process.env },
  };
}

function currentUser(): string | null {
  try {
    return os.userInfo().username;
  } catch {
    return null;
  }
}
