import * as path from 'path';
import type { DeploymentVariant } from '../resolved-config';
import type { PresenceCondition } from './catalog';

/**
 * Where an object created under a condition of the migration's code exists. Without variants in config every
 * such condition is undecided: the object is on `some-servers`. A variant decides a condition that compares a
 * name with a literal (`serverType === 'central'`, `process.env.SERVER_TYPE !== 'facility'`,
 * `current_setting('app.server_type') = 'central'`) when it has a value for that name's last segment
 * (`variantKey`): equal as text, the condition holds. Anything else stays undecided on that variant too.
 */
export type Presence = 'everywhere' | 'some-servers' | 'nowhere';

export function presenceOn(
  onlyWhen: readonly PresenceCondition[] | undefined,
  variant: DeploymentVariant | undefined,
): Presence {
  if (!onlyWhen) return 'everywhere';
  let decided = true;
  for (const condition of onlyWhen) {
    const holds = decide(condition, variant);
    if (holds === false) return 'nowhere';
    if (holds === undefined) decided = false;
  }
  return decided ? 'everywhere' : 'some-servers';
}

function decide(condition: PresenceCondition, variant: DeploymentVariant | undefined): boolean | undefined {
  if (condition.never) return false;
  const comparison = condition.comparison;
  const value = comparison && variant?.values.get(comparison.key);
  if (!comparison || value === undefined) return undefined;
  return (value === comparison.value) === comparison.equal;
}

/** The objects that exist on every server of `variant`, and those that exist on some only. */
export function byPresence<T extends { onlyWhen?: readonly PresenceCondition[] }>(
  objects: readonly T[],
  variant: DeploymentVariant | undefined,
): { everywhere: T[]; someServers: T[] } {
  const everywhere: T[] = [];
  const someServers: T[] = [];
  for (const object of objects) {
    const presence = presenceOn(object.onlyWhen, variant);
    if (presence === 'everywhere') everywhere.push(object);
    else if (presence === 'some-servers') someServers.push(object);
  }
  return { everywhere, someServers };
}

/** "`serverType === 'central'` (line 7 of 0042_add_index.js)": the conditions `variant` leaves undecided. */
export function undecidedConditions(
  onlyWhen: readonly PresenceCondition[] | undefined,
  variant: DeploymentVariant | undefined,
): string {
  return (onlyWhen ?? [])
    .filter((condition) => decide(condition, variant) === undefined)
    .map((condition) => `\`${condition.text}\` (line ${condition.line} of ${path.basename(condition.file)})`)
    .join(' and ');
}
