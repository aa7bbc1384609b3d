import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI } from './support/paths';
import { workspaceWith } from './support/lsp-client';

/**
 * A real LSP client that is not VS Code: Neovim's built-in one (Debian's 0.7.2 has `vim.lsp.start_client`),
 * headless. Skipped where `nvim` is not installed (`apt-get install -y neovim`).
 */
describe('language server in Neovim', function () {
  this.timeout(60_000);

  it('publishes Preflight findings to Neovim diagnostics', function () {
    if (spawnSync('nvim', ['--version']).status !== 0) this.skip();
    const root = workspaceWith({
      'db/0001_note.sql': "ALTER TABLE plans ADD COLUMN note text;\nUPDATE plans SET note = '';\n",
    });
    try {
      const script = path.join(root, 'smoke.lua');
      fs.writeFileSync(
        script,
        `local id = vim.lsp.start_client({ name = 'preflight', cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(CLI)}, 'lsp', '--stdio' }, root_dir = ${JSON.stringify(root)} })
vim.cmd('edit ' .. ${JSON.stringify(path.join(root, 'db/0001_note.sql'))})
vim.lsp.buf_attach_client(0, id)
vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do io.stdout:write(string.format('%s %s %d:%d\\n', d.source, d.user_data.lsp.code, d.lnum, d.col)) end
vim.lsp.stop_client(id)
vim.cmd('qa!')
`,
      );
      const output = execFileSync('nvim', ['--headless', '-u', 'NONE', '-c', `luafile ${script}`], {
        cwd: root,
        encoding: 'utf8',
        timeout: 40_000,
      });
      assert.ok(output.split('\n').includes('preflight mixed-ddl-dml 1:0'), `Neovim saw:\n${output}`);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
