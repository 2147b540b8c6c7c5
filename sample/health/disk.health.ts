import { Injectable } from '@nestjs/common';
import { statfs } from 'node:fs/promises';
import { HealthCheck } from 'nestjs-healthcheck';

const DISK_PATH = process.env.DISK_PATH ?? process.cwd();
const MIN_FREE_BYTES =
  Number(process.env.DISK_MIN_FREE_MB ?? 100) * 1024 * 1024;

/**
 * Fails when the disk holding DISK_PATH has less free space than DISK_MIN_FREE_MB. It runs in the background
 * every 30 s, so probes never wait for the file system.
 */
@Injectable()
export class DiskHealth {
  @HealthCheck({ name: 'disk_space', tags: ['readiness'], interval: 30_000 })
  async diskSpace(): Promise<[boolean, Record<string, unknown>]> {
    const stats = await statfs(DISK_PATH);
    const freeBytes = stats.bavail * stats.bsize;
    return [
      freeBytes >= MIN_FREE_BYTES,
      { path: DISK_PATH, freeBytes, minFreeBytes: MIN_FREE_BYTES },
    ];
  }
}
