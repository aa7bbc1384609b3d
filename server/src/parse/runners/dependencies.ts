import * as path from 'path';
import { cachedFileReader, listing } from './folders';
import type { MigrationRunner, RunnerId } from './runner';

/** A runner the project depends on, as its manifest names it. */
export interface RunnerDependency {
  manifest: string;
  /** The module, package or crate (`github.com/pressly/goose`, `sqlx`). */
  name: string;
  runner: RunnerId;
}

/** How each manifest names a dependency: a Go module path, an npm package key, a Cargo dependency line, Java coordinates. */
const MANIFESTS: Record<string, (text: string, name: string) => boolean> = {
  'go.mod': (text, name) => name.includes('/') && text.includes(name),
  'package.json': (text, name) => text.includes(`"${name}"`),
  'Cargo.toml': (text, name) => new RegExp(`^\\s*${name.replace(/[^\w-]/g, '\\$&')}\\s*=`, 'm').test(text),
  // Java projects name Flyway's group id (Maven) or its coordinates (Gradle).
  'pom.xml': (text, name) => text.includes(`<groupId>${name}</groupId>`),
  'build.gradle': (text, name) => text.includes(`${name}:`),
  'build.gradle.kts': (text, name) => text.includes(`${name}:`),
};

/**
 * The project a migration folder belongs to: the nearest folder up holding a manifest or `.git`. Found once per
 * folder for the life of the process (a manifest added above a folder later is seen after a restart); the project's
 * manifests themselves are listed and read again whenever they change.
 */
const projectRoots = new Map<string, string | undefined>();

function projectRoot(folder: string): string | undefined {
  if (projectRoots.has(folder)) return projectRoots.get(folder);
  let root: string | undefined;
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const names = listing(dir);
    if (names && (names.has('.git') || Object.keys(MANIFESTS).some((manifest) => names.has(manifest)))) {
      root = dir;
      break;
    }
    if (dir === path.dirname(dir)) break;
  }
  projectRoots.set(folder, root);
  return root;
}

const manifestTexts = cachedFileReader((text) => text);

/** The runners the project around `folder` depends on, by the manifests of its root (`go.mod`, `package.json`, ...). */
export function projectDependencies(folder: string, runners: readonly MigrationRunner[]): RunnerDependency[] {
  const root = projectRoot(folder);
  const names = root ? listing(root) : undefined;
  if (!root || !names) return [];
  return Object.keys(MANIFESTS)
    .filter((manifest) => names.has(manifest))
    .flatMap((manifest) => {
      const file = path.join(root, manifest);
      const text = manifestTexts(file);
      if (text === undefined) return [];
      return runners.flatMap((runner) => {
        const name = runner.packages.find((pkg) => MANIFESTS[manifest](text, pkg));
        return name ? [{ manifest: file, name, runner: runner.id }] : [];
      });
    });
}
