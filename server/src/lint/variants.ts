import type { DeploymentVariant } from '../resolved-config';
import type { Finding } from './rule';

/**
 * Judges a hazard once per variant (once, unnamed, without variants) and reports it: once as it is
 * when every variant finds the same, otherwise once per group of variants that agree, named ("on variant
 * facility: ..."). A variant whose `judge` finds nothing gets no finding.
 */
export function reportPerVariant(
  variants: readonly DeploymentVariant[],
  judge: (variant: DeploymentVariant | undefined) => Finding | undefined,
  report: (finding: Finding) => void,
): void {
  if (variants.length === 0) {
    const finding = judge(undefined);
    if (finding) report(finding);
    return;
  }
  const groups = new Map<string, { finding: Finding; names: string[] }>();
  for (const variant of variants) {
    const finding = judge(variant);
    if (!finding) continue;
    const key = `${finding.severity ?? ''}\0${finding.message}`;
    const group = groups.get(key);
    if (group) group.names.push(variant.name);
    else groups.set(key, { finding, names: [variant.name] });
  }
  for (const { finding, names } of groups.values()) {
    if (names.length === variants.length) report(finding);
    else
      report({
        ...finding,
        message: `on variant${names.length === 1 ? '' : 's'} ${names.join(', ')}: ${finding.message}`,
      });
  }
}
