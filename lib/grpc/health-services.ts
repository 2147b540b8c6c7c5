import { PROBE_TAGS } from '../healthcheck.constants.js';
import type { ProbeName } from '../probes/probe.service.js';

/** What a grpc.health.v1 service name stands for. */
export type HealthTarget =
  | { kind: 'all' }
  | { kind: 'probe'; probe: ProbeName }
  | { kind: 'tag'; tag: string }
  | { kind: 'check'; name: string };

/** A check as far as the service names are concerned. */
interface NamedCheck {
  readonly name: string;
  readonly tags: readonly string[];
}

/**
 * Every health service name with what it stands for, in the order List shows them: "" (all checks), the three
 * probes, the other tags, then the check names. A name that is both a tag and a check name stands for the tag.
 */
export function healthServices(
  checks: readonly NamedCheck[],
): ReadonlyMap<string, HealthTarget> {
  const services = new Map<string, HealthTarget>([['', { kind: 'all' }]]);
  for (const probe of PROBE_TAGS) {
    services.set(probe, { kind: 'probe', probe: probe as ProbeName });
  }
  for (const { tags } of checks) {
    for (const tag of tags) {
      if (!services.has(tag)) services.set(tag, { kind: 'tag', tag });
    }
  }
  for (const { name } of checks) {
    if (!services.has(name)) services.set(name, { kind: 'check', name });
  }
  return services;
}
