// The gw403 VS Code extension: starts gw403-lsp over stdio for request files
// and for the templates / OpenAPI documents they call, shows and switches
// the environment used to resolve {{variables}}, counts the linked requests
// of the current file, shows the requests of a route (code lens), and
// highlights .http files when no other extension does.
import * as fs from 'fs';
import * as os from 'os';
import * as vscode from 'vscode';
import {
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

import { resolveServer, ServerCommand } from './binary';
import { isRelevant, isRequestFile } from './detect';
import { environmentNames, environmentURLs, envNamesFromJson, linkCounts, mergeNames } from './environments';
import { encode, otherHttpGrammar, TOKEN_TYPES, tokenize } from './highlight';

const CLIENT_ID = 'gw403';
const STATE_KEY = 'gw403.activeEnvironment';
const CMD_LIST_ENVS = 'gw403.listEnvironments';
const CMD_SET_ENV = 'gw403.setEnvironment';
const CMD_LINK_COUNTS = 'gw403.linkCounts';
const CMD_SHOW_REFERENCES = 'gw403.showReferences';
const EXTENSION_ID = 'gw403.gw403-lsp';

/** Settings sent to the server (initializationOptions, workspace/configuration, didChangeConfiguration). */
export interface ServerSettings {
  environment: string;
  configPath: string;
  severity: Record<string, string>;
  trace: string;
}

/** Gw403Api is what activate returns; the integration tests use it. */
export interface Gw403Api {
  /** The running client, or undefined before the first relevant document. */
  client(): LanguageClient | undefined;
  /** The command that was started. */
  server(): ServerCommand | undefined;
  /** Resolves once the client is running (starting it if needed). */
  ready(): Promise<void>;
  /** The active environment ('' = every environment). */
  environment(): string;
  /** The status bar item's text. */
  statusText(): string;
  /** The request-count status bar item's text ('' when hidden). */
  requestsText(): string;
  /** The environment names for a document. */
  listEnvironments(uri?: vscode.Uri): Promise<string[]>;
  /** The environment picker's items (label and detail, the base URL). */
  environmentItems(uri?: vscode.Uri): Promise<vscode.QuickPickItem[]>;
  /** The id of another extension highlighting .http files, or undefined when gw403 does. */
  highlighter(): string | undefined;
  /** URIs of the documents that were opened on the server. */
  openedOnServer(): string[];
}

const ALL_ENVS = '$(layers) every environment';

let ext: Gw403Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<Gw403Api> {
  ext = new Gw403Extension(context);
  await ext.activate();
  return ext.api();
}

export async function deactivate(): Promise<void> {
  await ext?.stop();
  ext = undefined;
}

class Gw403Extension {
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private serverCommand: ServerCommand | undefined;
  private readonly status: vscode.StatusBarItem;
  private readonly requests: vscode.StatusBarItem;
  private requestsTimer: NodeJS.Timeout | undefined;
  private highlighting: vscode.Disposable | undefined;
  private otherHighlighter: string | undefined;
  private readonly output: vscode.LogOutputChannel;
  // URIs of the YAML/JSON documents sent to the server; request files are
  // always sent. Guards against sending didChange/didClose for a document
  // that was never opened there.
  private readonly opened = new Set<string>();
  private activeEnv: string;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('gw403', { log: true });
    this.status = vscode.window.createStatusBarItem('gw403.environment', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'gw403 environment';
    this.status.command = 'gw403.selectEnvironment';
    this.requests = vscode.window.createStatusBarItem('gw403.requests', vscode.StatusBarAlignment.Right, 99);
    this.requests.name = 'gw403 linked requests';
    this.requests.command = 'workbench.actions.view.problems';
    this.activeEnv = context.workspaceState.get<string>(STATE_KEY) ?? this.config().get<string>('environment', '');
    context.subscriptions.push(this.output, this.status, this.requests, { dispose: () => this.highlighting?.dispose() });
  }

  async activate(): Promise<void> {
    const c = this.context;
    c.subscriptions.push(
      vscode.commands.registerCommand('gw403.selectEnvironment', (name?: unknown) =>
        this.selectEnvironment(typeof name === 'string' ? name : undefined),
      ),
      vscode.commands.registerCommand('gw403.restartServer', () => this.restart()),
      vscode.commands.registerCommand('gw403.showOutput', () => this.output.show(true)),
      vscode.workspace.onDidChangeConfiguration((e) => this.onConfigChange(e)),
      vscode.workspace.onDidOpenTextDocument((doc) => {
        if (this.relevant(doc)) {
          void this.ensureStarted();
        }
      }),
      vscode.commands.registerCommand(CMD_SHOW_REFERENCES, (uri: unknown, position: unknown, locations: unknown) =>
        this.showReferences(uri, position, locations),
      ),
      vscode.window.onDidChangeActiveTextEditor(() => {
        this.updateStatus();
        this.scheduleRequestCounts();
      }),
      // The server re-checked a file: its links may have changed.
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) {
          this.scheduleRequestCounts();
        }
      }),
      vscode.extensions.onDidChange(() => this.updateHighlighting()),
    );
    this.updateHighlighting();
    this.updateStatus();
    if (vscode.workspace.textDocuments.some((d) => this.relevant(d))) {
      await this.ensureStarted().catch(() => undefined);
    }
  }

  api(): Gw403Api {
    return {
      client: () => this.client,
      server: () => this.serverCommand,
      ready: () => this.ensureStarted(),
      environment: () => this.activeEnv,
      statusText: () => this.status.text,
      requestsText: () => (this.requestsVisible ? this.requests.text : ''),
      listEnvironments: (uri) => this.listEnvironments(uri),
      environmentItems: (uri) => this.environmentItems(uri),
      highlighter: () => this.otherHighlighter,
      openedOnServer: () => [...this.opened],
    };
  }

  private config(scope?: vscode.Uri): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('gw403', scope);
  }

  private relevant(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') {
      return false;
    }
    return isRelevant(doc.fileName, doc.languageId, () => doc.getText());
  }

  settings(): ServerSettings {
    const cfg = this.config();
    return {
      environment: this.activeEnv,
      configPath: cfg.get<string>('configPath', ''),
      severity: cfg.get<Record<string, string>>('severity', {}),
      trace: cfg.get<string>('trace.server', 'off'),
    };
  }

  private ensureStarted(): Promise<void> {
    if (!this.starting) {
      this.starting = this.start().catch((err) => {
        this.starting = undefined;
        throw err;
      });
    }
    return this.starting;
  }

  private async start(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const cmd = resolveServer({
      setting: this.config().get<string>('path', ''),
      extensionPath: this.context.extensionPath,
      platform: process.platform,
      arch: process.arch,
      homeDir: os.homedir(),
      workspaceFolder: folder,
      exists: (p) => fs.existsSync(p),
    });
    this.serverCommand = cmd;
    this.output.appendLine(`gw403: starting ${cmd.command} serve (${cmd.origin})`);

    const serverOptions: ServerOptions = {
      run: { command: cmd.command, args: ['serve'], transport: TransportKind.stdio },
      debug: { command: cmd.command, args: ['serve'], transport: TransportKind.stdio },
    };
    const watchers = [
      '**/*.{yaml,yml,json,template}',
      '**/.env*',
      '**/.vscode/settings.json',
    ].map((glob) => vscode.workspace.createFileSystemWatcher(glob));
    this.context.subscriptions.push(...watchers);

    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'http' },
        { scheme: 'untitled', language: 'http' },
        { scheme: 'file', pattern: '**/*.{http,rest}' },
        { scheme: 'file', language: 'yaml' },
        { scheme: 'file', language: 'json' },
      ],
      outputChannel: this.output,
      initializationOptions: () => this.settings(),
      synchronize: { fileEvents: watchers },
      middleware: {
        // Only templates, OpenAPI documents, env and config files among the
        // YAML/JSON files reach the server.
        didOpen: async (doc, next) => {
          if (isRequestFile(doc.fileName, doc.languageId) || this.relevant(doc)) {
            this.opened.add(doc.uri.toString());
            return next(doc);
          }
        },
        didChange: async (event, next) => {
          const key = event.document.uri.toString();
          if (this.opened.has(key)) {
            return next(event);
          }
          // A YAML/JSON file that became a template while being edited.
          if (this.relevant(event.document) && this.client) {
            this.opened.add(key);
            await this.client.sendNotification(
              DidOpenTextDocumentNotification.type,
              this.client.code2ProtocolConverter.asOpenTextDocumentParams(event.document),
            );
          }
        },
        willSave: async (event, next) => (this.opened.has(event.document.uri.toString()) ? next(event) : undefined),
        didSave: async (doc, next) => (this.opened.has(doc.uri.toString()) ? next(doc) : undefined),
        didClose: async (doc, next) => {
          if (this.opened.delete(doc.uri.toString())) {
            return next(doc);
          }
        },
        workspace: {
          configuration: async (params, token, next) => {
            const rest = await next(params, token);
            return params.items.map((item, i) => {
              if (item.section === 'gw403') {
                return this.settings();
              }
              if (item.section?.startsWith('gw403.')) {
                const key = item.section.slice('gw403.'.length) as keyof ServerSettings;
                return this.settings()[key] ?? null;
              }
              return Array.isArray(rest) ? rest[i] : null;
            });
          },
        },
      },
    };

    const client = new LanguageClient(CLIENT_ID, 'gw403', serverOptions, clientOptions);
    this.client = client;
    client.onDidChangeState((e) => {
      if (e.newState === State.Stopped) {
        this.opened.clear();
      }
      this.updateStatus();
    });
    try {
      await client.start();
      this.scheduleRequestCounts();
    } catch (err) {
      this.client = undefined;
      const msg = err instanceof Error ? err.message : String(err);
      this.output.appendLine(`gw403: could not start ${cmd.command}: ${msg}`);
      const hint =
        cmd.origin === 'path'
          ? 'Install it (go install github.com/gw403/gw403-lsp/cmd/gw403-lsp@latest) or set gw403.path.'
          : 'Check the gw403.path setting.';
      void vscode.window
        .showErrorMessage(`gw403: could not start ${cmd.command}. ${hint}`, 'Open Settings', 'Show Output')
        .then((choice) => {
          if (choice === 'Open Settings') {
            void vscode.commands.executeCommand('workbench.action.openSettings', 'gw403.path');
          } else if (choice === 'Show Output') {
            this.output.show(true);
          }
        });
      throw err;
    }
    this.updateStatus();
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    this.opened.clear();
    if (client && client.state !== State.Stopped) {
      await client.stop(5000).catch(() => undefined);
    }
  }

  private async restart(): Promise<void> {
    await this.stop();
    await this.ensureStarted();
  }

  private serverCommands(): string[] {
    const caps = this.client?.initializeResult?.capabilities;
    return caps?.executeCommandProvider?.commands ?? [];
  }

  private async onConfigChange(e: vscode.ConfigurationChangeEvent): Promise<void> {
    if (!e.affectsConfiguration('gw403')) {
      return;
    }
    if (e.affectsConfiguration('gw403.environment')) {
      this.activeEnv = this.config().get<string>('environment', '');
      await this.context.workspaceState.update(STATE_KEY, undefined);
      this.updateStatus();
    }
    if (e.affectsConfiguration('gw403.path')) {
      if (this.client) {
        await this.restart();
      }
      return;
    }
    await this.pushSettings();
  }

  // pushSettings tells a running server about the current settings; a server
  // that pulls (workspace/configuration) gets the same object.
  private async pushSettings(): Promise<void> {
    if (this.client?.state === State.Running) {
      await this.client.sendNotification('workspace/didChangeConfiguration', {
        settings: { gw403: this.settings() },
      });
    }
  }

  private async listEnvironments(uri?: vscode.Uri): Promise<string[]> {
    return (await this.environmentsWithURLs(uri)).names;
  }

  // environmentsWithURLs asks the server for the environments of a request
  // file and their base URLs; without the command, it reads the env files.
  private async environmentsWithURLs(uri?: vscode.Uri): Promise<{ names: string[]; urls: Record<string, string> }> {
    const target = uri ?? this.activeRequestUri();
    if (this.client && this.serverCommands().includes(CMD_LIST_ENVS)) {
      const res = await this.client.sendRequest(ExecuteCommandRequest.type, {
        command: CMD_LIST_ENVS,
        arguments: target ? [target.toString()] : [],
      });
      const names = environmentNames(res);
      if (names) {
        return { names, urls: environmentURLs(res) };
      }
    }
    return { names: await this.environmentsFromFiles(target), urls: {} };
  }

  // environmentItems are the picker's items: every environment first, then
  // each environment with the base URL its requests go to.
  private async environmentItems(uri?: vscode.Uri): Promise<vscode.QuickPickItem[]> {
    const { names, urls } = await this.environmentsWithURLs(uri).catch(() => ({ names: [] as string[], urls: {} as Record<string, string> }));
    return [
      { label: ALL_ENVS, description: this.activeEnv === '' ? 'active' : undefined },
      ...names.map((n) => ({
        label: n,
        description: n === this.activeEnv ? 'active' : undefined,
        detail: urls[n],
      })),
    ];
  }

  // environmentsFromFiles reads environment names from the env files of the
  // document's workspace folder (fallback for servers without
  // gw403.listEnvironments).
  private async environmentsFromFiles(uri?: vscode.Uri): Promise<string[]> {
    const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) {
      return [];
    }
    const lists: string[][] = [];
    const read = async (rel: string, kind: 'http-client' | 'rest-client-settings') => {
      const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, rel), '**/node_modules/**', 20);
      for (const f of files) {
        const bytes = await vscode.workspace.fs.readFile(f);
        lists.push(envNamesFromJson(Buffer.from(bytes).toString('utf8'), kind));
      }
    };
    await read('**/http-client{,.private}.env.json', 'http-client');
    await read('.vscode/settings.json', 'rest-client-settings');
    return mergeNames(...lists);
  }

  private activeRequestUri(): vscode.Uri | undefined {
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && isRequestFile(doc.fileName, doc.languageId)) {
      return doc.uri;
    }
    return vscode.workspace.textDocuments.find((d) => isRequestFile(d.fileName, d.languageId))?.uri;
  }

  private async selectEnvironment(name?: string): Promise<void> {
    let chosen = name;
    if (chosen === undefined) {
      const items = await this.environmentItems();
      const pick = await vscode.window.showQuickPick(items, {
        title: 'gw403: environment for {{variables}}',
        placeHolder: items.length > 1 ? 'Check requests with this environment' : 'No environments found in this workspace',
        matchOnDetail: true,
      });
      if (!pick) {
        return;
      }
      chosen = pick.label === ALL_ENVS ? '' : pick.label;
    }
    this.activeEnv = chosen;
    await this.context.workspaceState.update(STATE_KEY, chosen);
    this.updateStatus();
    if (!this.client) {
      return;
    }
    if (this.serverCommands().includes(CMD_SET_ENV)) {
      await this.client.sendRequest(ExecuteCommandRequest.type, { command: CMD_SET_ENV, arguments: [chosen] });
      // "" clears the server's override and falls back to the configured
      // environment, which the configuration answers now report as "".
      if (chosen === '') {
        await this.pushSettings();
      }
    } else {
      // A server without the command learns the environment at start.
      await this.restart();
    }
  }

  // showReferences opens the references view for a route's code lens: the
  // server's arguments are LSP values.
  private async showReferences(uri: unknown, position: unknown, locations: unknown): Promise<void> {
    const client = this.client;
    if (!client || typeof uri !== 'string' || !Array.isArray(locations)) {
      return;
    }
    const conv = client.protocol2CodeConverter;
    const locs = await Promise.all(locations.map((l) => conv.asLocation(l)));
    await vscode.commands.executeCommand(
      'editor.action.showReferences',
      conv.asUri(uri),
      conv.asPosition(position as { line: number; character: number }),
      locs,
    );
  }

  private requestsVisible = false;

  private scheduleRequestCounts(): void {
    if (this.requestsTimer) {
      clearTimeout(this.requestsTimer);
    }
    this.requestsTimer = setTimeout(() => void this.updateRequestCounts().catch(() => undefined), 250);
  }

  // updateRequestCounts shows how many requests of the current request file
  // link to an API of the workspace, and how many do not.
  private async updateRequestCounts(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    const client = this.client;
    if (!doc || !isRequestFile(doc.fileName, doc.languageId) || !client || client.state !== State.Running || !this.serverCommands().includes(CMD_LINK_COUNTS)) {
      this.requests.hide();
      this.requestsVisible = false;
      return;
    }
    const res = await client.sendRequest(ExecuteCommandRequest.type, {
      command: CMD_LINK_COUNTS,
      arguments: [doc.uri.toString()],
    });
    const counts = linkCounts(res);
    if (!counts || vscode.window.activeTextEditor?.document !== doc) {
      return;
    }
    this.requests.text = `$(link) ${counts.linked} linked · ${counts.unlinked} not linked`;
    this.requests.tooltip = new vscode.MarkdownString(
      `**gw403**: ${counts.linked} request(s) of this file call an API of the workspace; ` +
        `${counts.unlinked} call nothing it defines (localhost, another service, an unresolved host).\n\n` +
        'Each request line ends with what it calls.',
    );
    this.requests.show();
    this.requestsVisible = true;
  }

  // updateHighlighting highlights .http files (semantic tokens) unless
  // another extension contributes a grammar for them.
  private updateHighlighting(): void {
    const other = otherHttpGrammar(
      vscode.extensions.all.map((e) => ({ id: e.id, packageJSON: e.packageJSON })),
      EXTENSION_ID,
    );
    this.otherHighlighter = other;
    if (other) {
      if (this.highlighting) {
        this.output.appendLine(`gw403: ${other} highlights .http files; gw403's highlighting is off`);
      }
      this.highlighting?.dispose();
      this.highlighting = undefined;
      return;
    }
    if (this.highlighting) {
      return;
    }
    const legend = new vscode.SemanticTokensLegend([...TOKEN_TYPES]);
    this.highlighting = vscode.languages.registerDocumentSemanticTokensProvider(
      [{ language: 'http' }, { pattern: '**/*.{http,rest}' }],
      {
        provideDocumentSemanticTokens: (doc) => new vscode.SemanticTokens(new Uint32Array(encode(tokenize(doc.getText())))),
      },
      legend,
    );
  }

  private updateStatus(): void {
    const env = this.activeEnv === '' ? 'all envs' : this.activeEnv;
    this.status.text = `$(globe) gw403: ${env}`;
    const running = this.client?.state === State.Running;
    this.status.tooltip = new vscode.MarkdownString(
      `**gw403** checks requests with environment **${env}**.\n\nClick to switch.` +
        (running ? '' : '\n\n_gw403-lsp is not running._'),
    );
    const doc = vscode.window.activeTextEditor?.document;
    if (doc && isRequestFile(doc.fileName, doc.languageId)) {
      this.status.show();
    } else {
      this.status.hide();
    }
  }
}
