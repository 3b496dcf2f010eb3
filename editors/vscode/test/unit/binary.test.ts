import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';

import { bundledPath, resolveServer } from '../../src/binary';

test('resolveServer', () => {
  const ext = '/ext';
  const bundledLinux = path.join(ext, 'bin', 'linux-x64', 'gw403-lsp');
  const cases = [
    { name: 'setting wins', setting: '/opt/gw403-lsp', have: [bundledLinux], want: { command: '/opt/gw403-lsp', origin: 'setting' } },
    { name: 'tilde', setting: '~/go/bin/gw403-lsp', have: [], want: { command: '/home/u/go/bin/gw403-lsp', origin: 'setting' } },
    { name: 'workspace folder', setting: '${workspaceFolder}/bin/gw403-lsp', have: [], want: { command: '/w/bin/gw403-lsp', origin: 'setting' } },
    { name: 'bundled', setting: '', have: [bundledLinux], want: { command: bundledLinux, origin: 'bundled' } },
    { name: 'PATH', setting: '  ', have: [], want: { command: 'gw403-lsp', origin: 'path' } },
  ];
  for (const c of cases) {
    const got = resolveServer({
      setting: c.setting,
      extensionPath: ext,
      platform: 'linux',
      arch: 'x64',
      homeDir: '/home/u',
      workspaceFolder: '/w',
      exists: (p) => c.have.includes(p),
    });
    assert.deepEqual(got, c.want, c.name);
  }
});

test('bundledPath on Windows has .exe', () => {
  assert.equal(bundledPath('/ext', 'win32', 'x64'), path.join('/ext', 'bin', 'win32-x64', 'gw403-lsp.exe'));
});
