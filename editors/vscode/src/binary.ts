// Where the gw403-lsp binary comes from. Pure, for unit tests.
import * as path from 'path';

/** BINARY_NAME is the command looked up on PATH when nothing else is found. */
export const BINARY_NAME = 'gw403-lsp';

export type ServerOrigin = 'setting' | 'bundled' | 'path';

export interface ServerCommand {
  command: string;
  origin: ServerOrigin;
}

export interface ResolveInput {
  /** The gw403.path setting ('' when unset). */
  setting: string;
  /** The extension's install directory. */
  extensionPath: string;
  /** process.platform and process.arch. */
  platform: string;
  arch: string;
  homeDir: string;
  /** First workspace folder, for ${workspaceFolder}; undefined without one. */
  workspaceFolder?: string;
  exists: (p: string) => boolean;
}

/** bundledPath is where `npm run package` puts the binary for a platform. */
export function bundledPath(extensionPath: string, platform: string, arch: string): string {
  const exe = platform === 'win32' ? `${BINARY_NAME}.exe` : BINARY_NAME;
  return path.join(extensionPath, 'bin', `${platform}-${arch}`, exe);
}

/** expandSetting expands a leading ~ and ${workspaceFolder}, ${userHome}. */
export function expandSetting(value: string, homeDir: string, workspaceFolder?: string): string {
  let v = value.trim();
  if (v === '~' || v.startsWith('~/') || v.startsWith('~\\')) {
    v = homeDir + v.slice(1);
  }
  v = v.replace(/\$\{userHome\}/g, homeDir);
  if (workspaceFolder !== undefined) {
    v = v.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  }
  return v;
}

/**
 * resolveServer picks the binary: the setting when given, else the bundled
 * binary for this platform when the extension was packaged with one, else
 * gw403-lsp on PATH.
 */
export function resolveServer(input: ResolveInput): ServerCommand {
  if (input.setting.trim() !== '') {
    return { command: expandSetting(input.setting, input.homeDir, input.workspaceFolder), origin: 'setting' };
  }
  const bundled = bundledPath(input.extensionPath, input.platform, input.arch);
  if (input.exists(bundled)) {
    return { command: bundled, origin: 'bundled' };
  }
  return { command: BINARY_NAME, origin: 'path' };
}
