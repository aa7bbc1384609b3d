import * as fs from 'fs';
import * as path from 'path';
import { Rule } from './rule';

/**
 * Every file in `server/src/rules/` is a rule exporting `rule`: listing the folder is the registry, so
 * adding a rule touches nothing else. Bundled builds set `globalThis.__PREFLIGHT_RULES__` instead.
 */
let cached: ReadonlyMap<string, Rule> | undefined;

export function allRules(): ReadonlyMap<string, Rule> {
  if (cached) return cached;
  const bundled = (globalThis as { __PREFLIGHT_RULES__?: Rule[] }).__PREFLIGHT_RULES__;
  const rules = bundled ?? loadRuleFolder(path.join(__dirname, '..', 'rules'));
  cached = new Map([...rules].sort((a, b) => a.id.localeCompare(b.id)).map((rule) => [rule.id, rule]));
  return cached;
}

function loadRuleFolder(folder: string): Rule[] {
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.js'))
    .map((name) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require(path.join(folder, name)) as { rule?: Rule };
      if (!exported.rule || exported.rule.id !== path.basename(name, '.js')) {
        throw new Error(`rules/${name} must export \`rule\` with id "${path.basename(name, '.js')}"`);
      }
      return exported.rule;
    });
}

/** Where a rule's documentation page lives, relative to the package root. */
export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

export const PACKAGE_ROOT =
  // A bundle (scripts/bundle.js) sets it: there this file is part of dist/server.js, one folder down.
  (globalThis as { __PREFLIGHT_PACKAGE_ROOT__?: string }).__PREFLIGHT_PACKAGE_ROOT__ ??
  path.resolve(__dirname, '..', '..', '..', '..');
