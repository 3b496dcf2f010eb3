// Integration tests, run inside a real VS Code extension host by
// test/e2e.sh against a copy of test/fixture/. They assert what the rules
// promise (RULES.md): codes, ranges, quick fixes and environment switching.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

import type { Gw403Api } from '../../src/extension';

const EXTENSION_ID = 'gw403.gw403-lsp';
// The request without a key; its query holds Japanese text so that the range
// check also checks UTF-16 columns.
const LIST_ORDERS = 'GET {{baseUrl}}/orders?status=未発送';
const FIRST_TIMEOUT_MS = 30_000;
const TIMEOUT_MS = 15_000;

type Test = { name: string; fn: () => Promise<void> };
const tests: Test[] = [];
function it(name: string, fn: () => Promise<void>): void {
  tests.push({ name, fn });
}

function log(msg: string): void {
  // console.log in the extension host reaches the driver's output.
  console.log(msg);
}

function workspaceRoot(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder open');
  return f.uri.fsPath;
}

function codeOf(d: vscode.Diagnostic): string {
  if (typeof d.code === 'object' && d.code !== null) {
    return String(d.code.value);
  }
  return String(d.code ?? '');
}

function describe(ds: readonly vscode.Diagnostic[]): string {
  return (
    '[' +
    ds
      .map(
        (d) =>
          `${codeOf(d)} ${d.range.start.line + 1}:${d.range.start.character}-${d.range.end.line + 1}:${d.range.end.character} "${d.message}"`,
      )
      .join('; ') +
    ']'
  );
}

// waitFor polls cond on every diagnostics change (and every 100 ms) until it
// holds or the timeout passes, then fails with what was last seen.
async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined, seen: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) {
      return v;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; saw ${seen()}`);
    }
    await new Promise<void>((resolve) => {
      const sub = vscode.languages.onDidChangeDiagnostics(() => {
        sub.dispose();
        resolve();
      });
      setTimeout(() => {
        sub.dispose();
        resolve();
      }, 100);
    });
  }
}

function gw403Diagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'gw403');
}

function waitForDiag(
  uri: vscode.Uri,
  what: string,
  pred: (d: vscode.Diagnostic) => boolean,
  timeoutMs = TIMEOUT_MS,
): Promise<vscode.Diagnostic> {
  return waitFor(
    what,
    timeoutMs,
    () => gw403Diagnostics(uri).find(pred),
    () => describe(vscode.languages.getDiagnostics(uri)),
  );
}

function waitForNone(uri: vscode.Uri, what: string, pred: (d: vscode.Diagnostic) => boolean): Promise<boolean> {
  return waitFor(
    what,
    TIMEOUT_MS,
    () => (gw403Diagnostics(uri).some(pred) ? undefined : true),
    () => describe(vscode.languages.getDiagnostics(uri)),
  );
}

// lineOf returns the 0-based line of the first line equal to text.
function lineOf(doc: vscode.TextDocument, text: string): number {
  for (let i = 0; i < doc.lineCount; i++) {
    if (doc.lineAt(i).text === text) {
      return i;
    }
  }
  throw new Error(`line ${JSON.stringify(text)} not in ${doc.fileName}`);
}

// urlRange is the range of the URL on a request line "METHOD URL".
function urlRange(doc: vscode.TextDocument, line: number): vscode.Range {
  const text = doc.lineAt(line).text;
  const start = text.indexOf(' ') + 1;
  const rest = text.slice(start);
  const end = start + (rest.includes(' ') ? rest.indexOf(' ') : rest.length);
  return new vscode.Range(line, start, line, end);
}

function fmtRange(r: vscode.Range): string {
  return `${r.start.line + 1}:${r.start.character}-${r.end.line + 1}:${r.end.character}`;
}

// quickFix asks VS Code for the code actions at the diagnostic, as the
// light bulb does. VS Code cancels such a request when the set of code
// action providers changes while it runs (the providers that answered
// already are kept, the others count as empty, or the whole request fails
// with "Canceled"); the light bulb then simply asks again, and so does
// this helper, a few times.
async function quickFix(uri: vscode.Uri, diag: vscode.Diagnostic, title: string | RegExp): Promise<vscode.CodeAction> {
  const matches = (t: string) => (typeof title === 'string' ? t === title : title.test(t));
  let seen = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    let actions: (vscode.CodeAction | vscode.Command)[] = [];
    try {
      actions =
        (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
          'vscode.executeCodeActionProvider',
          uri,
          diag.range,
          vscode.CodeActionKind.QuickFix.value,
        )) ?? [];
      seen = JSON.stringify(actions.map((a) => a.title));
    } catch (err) {
      if (!(err instanceof Error) || !/cancel/i.test(err.message)) {
        throw err;
      }
      seen = `error ${err.message}`;
    }
    const action = actions.find((a): a is vscode.CodeAction => matches(a.title) && 'kind' in a);
    if (action) {
      return action;
    }
    log(`     (attempt ${attempt}: quick fix ${String(title)} not offered; got ${seen})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`quick fix ${String(title)} not offered after 3 attempts; last got ${seen}`);
}

async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) {
    assert.ok(await vscode.workspace.applyEdit(action.edit), `applyEdit(${action.title}) failed`);
  }
  if (action.command) {
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  }
  assert.ok(action.edit || action.command, `quick fix ${JSON.stringify(action.title)} has neither edit nor command`);
}

let api: Gw403Api;
let doc: vscode.TextDocument;
let original = '';

it('opens requests.http as an http document and starts gw403-lsp', async () => {
  const ext = vscode.extensions.getExtension<Gw403Api>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} not installed`);
  const uri = vscode.Uri.file(path.join(workspaceRoot(), 'requests.http'));
  doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  assert.equal(doc.languageId, 'http');
  api = await ext.activate();
  await api.ready();
  const client = api.client();
  assert.ok(client?.isRunning(), 'language client is not running');
  log(`  server: ${api.server()?.command} (${api.server()?.origin})`);
  assert.equal(api.environment(), 'dev', 'environment from the workspace setting gw403.environment');
  assert.match(api.statusText(), /gw403: dev/);
  original = doc.getText();
});

it('only templates among the YAML files reach the server', async () => {
  const root = workspaceRoot();
  const tpl = await vscode.workspace.openTextDocument(path.join(root, 'template.yaml'));
  const compose = await vscode.workspace.openTextDocument(path.join(root, 'docker-compose.yml'));
  const opened = api.openedOnServer();
  assert.ok(opened.includes(tpl.uri.toString()), `template.yaml not sent to the server: ${opened}`);
  assert.ok(!opened.includes(compose.uri.toString()), `docker-compose.yml sent to the server: ${opened}`);
  assert.ok(opened.includes(doc.uri.toString()), `requests.http not sent to the server: ${opened}`);
});

it('lists the environments dev and prod', async () => {
  const names = await api.listEnvironments(doc.uri);
  assert.deepEqual([...names].sort(), ['dev', 'prod']);
});

// retry asks a provider command again while VS Code answers nothing yet
// (providers register when the client has the server's capabilities).
async function retry<T>(what: string, f: () => Thenable<T | undefined>, ok: (v: T | undefined) => boolean): Promise<T> {
  let last: T | undefined;
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    last = await f();
    if (ok(last)) {
      return last as T;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last got ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function templateUri(): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceRoot(), 'template.yaml'));
}

it('go to definition on a request URL lands on its route in template.yaml', async () => {
  const line = lineOf(doc, LIST_ORDERS);
  const url = urlRange(doc, line);
  const got = await retry(
    'a definition',
    () =>
      vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        doc.uri,
        url.start.translate(0, 16),
      ),
    (v) => !!v && v.length > 0,
  );
  const loc = got[0];
  const uri = 'targetUri' in loc ? loc.targetUri : loc.uri;
  const range = 'targetRange' in loc ? loc.targetRange : loc.range;
  assert.equal(uri.fsPath, templateUri().fsPath, 'definition file');
  const tpl = await vscode.workspace.openTextDocument(templateUri());
  assert.equal(tpl.getText(range), '/orders', 'definition range: the event Path');
  assert.equal(range.start.line, lineOf(tpl, '            Path: /orders'), 'the GET /orders event (the first Path: /orders)');
});

it('code lens above each route of template.yaml counts the requests calling it', async () => {
  const tpl = await vscode.workspace.openTextDocument(templateUri());
  const lenses = await retry(
    'code lenses',
    () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', tpl.uri, 10),
    (v) => !!v && v.length >= 3 && v.every((l) => l.command),
  );
  const titles = lenses.map((l) => `${l.range.start.line + 1}: ${l.command?.title}`);
  log(`     lenses: ${JSON.stringify(titles)}`);
  const getOrders = lenses.find((l) => l.range.start.line === lineOf(tpl, '            Path: /orders'));
  assert.ok(getOrders, `no lens on the GET /orders route: ${JSON.stringify(titles)}`);
  const cmd = getOrders.command;
  assert.ok(cmd, 'the lens has no command');
  assert.equal(cmd.title, '1 request');
  assert.equal(cmd.command, 'gw403.showReferences');
  // The lens's command opens the references view (a registered command).
  await vscode.commands.executeCommand(cmd.command, ...(cmd.arguments ?? []));
  await vscode.commands.executeCommand('closeReferenceSearch');
});

it('an inlay hint ends each request line with what it calls', async () => {
  const hints = await retry(
    'inlay hints',
    () =>
      vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        doc.uri,
        new vscode.Range(0, 0, doc.lineCount, 0),
      ),
    (v) => !!v && v.length > 0,
  );
  const line = lineOf(doc, LIST_ORDERS);
  const label = (h: vscode.InlayHint) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
  const h = hints.find((x) => x.position.line === line);
  assert.ok(h, `no hint on line ${line + 1}: ${JSON.stringify(hints.map((x) => [x.position.line, label(x)]))}`);
  assert.equal(label(h), '→ OrdersApi · prod · GET /orders · API key');
  assert.equal(h.position.character, doc.lineAt(line).text.length, 'at the end of the line');
});

it('the hover on a finding is short: message, predicted answer, rule docs link', async () => {
  const line = lineOf(doc, LIST_ORDERS);
  await waitForDiag(doc.uri, 'GW101', (x) => codeOf(x) === 'GW101' && x.range.start.line === line, FIRST_TIMEOUT_MS);
  const hovers = await retry(
    'a hover',
    () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, urlRange(doc, line).start.translate(0, 3)),
    (v) => !!v && v.length > 0,
  );
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /GW101 missing-api-key/);
  assert.match(text, /403 ForbiddenException/);
  assert.match(text, /\[rule docs: GW101 missing-api-key\]\(https:/);
  assert.doesNotMatch(text, /## What it does/, 'the whole rule document');
});

it('.http files are highlighted (semantic tokens) when no other extension highlights them', async () => {
  assert.equal(api.highlighter(), undefined, 'no other HTTP extension is installed here');
  const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri);
  const tokens = await retry(
    'semantic tokens',
    () => vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri),
    (v) => !!v && v.data.length > 0,
  );
  assert.ok(legend?.tokenTypes.includes('keyword'), `legend ${JSON.stringify(legend)}`);
  // The first request line: "GET" is the first keyword token.
  const types = new Set<string>();
  for (let i = 3; i < tokens.data.length; i += 5) {
    types.add(legend.tokenTypes[tokens.data[i]]);
  }
  for (const want of ['comment', 'keyword', 'string', 'variable', 'property']) {
    assert.ok(types.has(want), `no ${want} token among ${[...types]}`);
  }
});

it('the status bar counts the linked and unlinked requests of the file', async () => {
  await vscode.window.showTextDocument(doc);
  const text = await retry(
    'the request counts',
    () => Promise.resolve(api.requestsText()),
    (v) => !!v && /\d+ linked · \d+ not linked/.test(v),
  );
  log(`     status: ${text}`);
});

it('the environment picker shows each environment with its base URL', async () => {
  const items = await api.environmentItems(doc.uri);
  const dev = items.find((i) => i.label === 'dev');
  assert.equal(dev?.detail, 'https://r7t2xk9qpb.execute-api.ap-northeast-1.amazonaws.com/prod', JSON.stringify(items));
  const prod = items.find((i) => i.label === 'prod');
  assert.equal(prod?.detail, 'https://api.example.com', JSON.stringify(items));
});

it('GW101 missing-api-key on the URL of the request without x-api-key (dev)', async () => {
  const line = lineOf(doc, LIST_ORDERS);
  const d = await waitForDiag(doc.uri, `GW101 on line ${line + 1}`, (x) => codeOf(x) === 'GW101', FIRST_TIMEOUT_MS);
  const want = urlRange(doc, line);
  assert.ok(d.range.isEqual(want), `GW101 range = ${fmtRange(d.range)}, want ${fmtRange(want)} (the URL)`);
  assert.equal(d.severity, vscode.DiagnosticSeverity.Error, 'GW101 severity');
  assert.equal(d.source, 'gw403');
  assert.match(d.message, /x-api-key/i);
});

it('no false alarms on the requests that are fine', async () => {
  const clean = ['POST {{baseUrl}}/orders', 'GET {{baseUrl}}/health'].map((t) => lineOf(doc, t));
  // Wait until the file has been checked at all before looking for absences.
  await waitForDiag(doc.uri, 'any gw403 diagnostic', () => true, FIRST_TIMEOUT_MS);
  const bad = gw403Diagnostics(doc.uri).filter((d) => clean.includes(d.range.start.line));
  assert.deepEqual(describe(bad), '[]', 'diagnostics on clean requests');
});

it('GW141 on the custom-domain URL that repeats the stage, and its fix deletes the segment', async () => {
  const text = 'GET https://api.example.com/prod/health';
  const line = lineOf(doc, text);
  const d = await waitForDiag(doc.uri, `GW141 on line ${line + 1}`, (x) => codeOf(x) === 'GW141' && x.range.start.line === line);
  const url = urlRange(doc, line);
  assert.ok(url.contains(d.range), `GW141 range ${fmtRange(d.range)} not inside the URL ${fmtRange(url)}`);
  assert.match(doc.getText(d.range), /prod/, 'GW141 range covers the stage segment');
  const fix = await quickFix(doc.uri, d, /^(delete|remove) .*stage/i);
  await apply(fix);
  assert.equal(doc.lineAt(line).text, 'GET https://api.example.com/health');
  await waitForNone(doc.uri, `GW141 gone from line ${line + 1}`, (x) => codeOf(x) === 'GW141' && x.range.start.line === line);
});

it('GW132 on the stage segment with the wrong case (Prod)', async () => {
  const line = lineOf(doc, 'GET https://r7t2xk9qpb.execute-api.ap-northeast-1.amazonaws.com/Prod/health');
  const d = await waitForDiag(doc.uri, `GW132 on line ${line + 1}`, (x) => codeOf(x) === 'GW132' && x.range.start.line === line);
  assert.match(doc.getText(d.range), /Prod/, 'GW132 range covers the stage segment');
});

it('switching to prod reports GW141 on {{baseUrl}} requests; back to dev clears it', async () => {
  const lines = [LIST_ORDERS, 'POST {{baseUrl}}/orders'].map((t) => lineOf(doc, t));
  await vscode.commands.executeCommand('gw403.selectEnvironment', 'prod');
  assert.equal(api.environment(), 'prod');
  assert.match(api.statusText(), /gw403: prod/);
  for (const line of lines) {
    await waitForDiag(doc.uri, `GW141 on line ${line + 1} in prod`, (x) => codeOf(x) === 'GW141' && x.range.start.line === line);
  }
  await vscode.commands.executeCommand('gw403.selectEnvironment', 'dev');
  assert.match(api.statusText(), /gw403: dev/);
  for (const line of lines) {
    await waitForNone(doc.uri, `GW141 gone from line ${line + 1} in dev`, (x) => codeOf(x) === 'GW141' && x.range.start.line === line);
  }
});

it('quick fix "Add x-api-key header" inserts the header after the headers and clears GW101', async () => {
  const line = lineOf(doc, LIST_ORDERS);
  const d = await waitForDiag(doc.uri, 'GW101', (x) => codeOf(x) === 'GW101' && x.range.start.line === line);
  const before = doc.getText();
  const fix = await quickFix(doc.uri, d, 'Add x-api-key header');
  assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind = ${fix.kind?.value}`);
  await apply(fix);
  const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  const want = before.replace(
    `${LIST_ORDERS}${eol}Accept: application/json${eol}`,
    `${LIST_ORDERS}${eol}Accept: application/json${eol}x-api-key: {{apiKey}}${eol}`,
  );
  assert.notEqual(want, before, 'test setup: request block not found');
  assert.equal(doc.getText(), want, 'document after the fix');
  await waitForNone(doc.uri, 'GW101 gone after the fix', (x) => codeOf(x) === 'GW101');
});

it('undoing the edits brings GW101 back', async () => {
  const all = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, all, original);
  assert.ok(await vscode.workspace.applyEdit(edit), 'applyEdit(original) failed');
  assert.equal(doc.getText(), original);
  await waitForDiag(doc.uri, 'GW101 after revert', (x) => codeOf(x) === 'GW101');
});

// With another HTTP extension installed (test/e2e.sh's second run), gw403
// checks as before but leaves highlighting to that extension.
const otherHttp = process.env.GW403_E2E_OTHER_HTTP;
const otherTests: Test[] = [
  tests[0],
  {
    name: `highlighting is left to ${otherHttp}; the checks go on`,
    fn: async () => {
      assert.equal(api.highlighter(), otherHttp, 'the other HTTP extension was not seen');
      const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens | undefined>(
        'vscode.provideDocumentSemanticTokens',
        doc.uri,
      );
      assert.ok(!tokens || tokens.data.length === 0, 'gw403 still provides semantic tokens');
      await waitForDiag(doc.uri, 'GW101', (x) => codeOf(x) === 'GW101', FIRST_TIMEOUT_MS);
    },
  },
];

export async function run(): Promise<void> {
  let passed = 0;
  let failed = 0;
  for (const t of otherHttp ? otherTests : tests) {
    const t0 = Date.now();
    try {
      await t.fn();
      passed++;
      log(`ok   ${t.name} (${Date.now() - t0} ms)`);
    } catch (err) {
      failed++;
      const msg = err instanceof Error ? err.message : String(err);
      log(`FAIL ${t.name} (${Date.now() - t0} ms)\n     ${msg.split('\n').join('\n     ')}`);
    }
  }
  log(`vscode: ${passed} passed, ${failed} failed`);
  if (failed > 0) {
    throw new Error(`${failed} of ${passed + failed} extension tests failed`);
  }
}
