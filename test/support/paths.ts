import * as path from 'path';

/** Tests run from `out/test/...`; fixtures and docs live in the source tree. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CLI = path.join(REPO_ROOT, 'bin', 'preflight.js');
