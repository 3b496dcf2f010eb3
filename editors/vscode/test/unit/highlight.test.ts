import * as assert from 'node:assert/strict';
import { test } from 'node:test';

import { encode, otherHttpGrammar, tokenize } from '../../src/highlight';

test('otherHttpGrammar', () => {
  const self = { id: 'gw403.gw403-lsp', packageJSON: { contributes: { grammars: [{ language: 'http', scopeName: 'x' }] } } };
  const restClient = {
    id: 'humao.rest-client',
    packageJSON: { contributes: { languages: [{ id: 'http', extensions: ['.http', '.rest'] }], grammars: [{ language: 'http', scopeName: 'source.http' }] } },
  };
  const httpyac = {
    id: 'anweber.vscode-httpyac',
    packageJSON: { contributes: { languages: [{ id: 'http', extensions: ['.http', '.rest'] }], grammars: [{ language: 'http', scopeName: 'source.httpyac' }] } },
  };
  const ownLanguage = {
    id: 'someone.http-files',
    packageJSON: { contributes: { languages: [{ id: 'httpfile', extensions: ['.HTTP'] }], grammars: [{ language: 'httpfile', scopeName: 'source.h' }] } },
  };
  const unrelated = { id: 'redhat.vscode-yaml', packageJSON: { contributes: { grammars: [{ language: 'yaml', scopeName: 'source.yaml' }] } } };
  const languageOnly = { id: 'x.lang-only', packageJSON: { contributes: { languages: [{ id: 'http', extensions: ['.http'] }] } } };
  assert.equal(otherHttpGrammar([self, unrelated, languageOnly], 'gw403.gw403-lsp'), undefined);
  assert.equal(otherHttpGrammar([self, restClient], 'gw403.gw403-lsp'), 'humao.rest-client');
  assert.equal(otherHttpGrammar([httpyac, self], 'GW403.gw403-lsp'), 'anweber.vscode-httpyac');
  assert.equal(otherHttpGrammar([ownLanguage], 'gw403.gw403-lsp'), 'someone.http-files');
  assert.equal(otherHttpGrammar([{ id: 'broken', packageJSON: null }], 'gw403.gw403-lsp'), undefined);
});

test('tokenize', () => {
  const text = [
    '@host = https://{{id}}.example.com',
    '### 注文一覧',
    '# a comment',
    'GET {{host}}/orders?q=日本語 HTTP/1.1',
    'x-api-key: {{apiKey}}',
    '',
    '{"a": "{{b}}"}',
    '###',
    'POST https://x.test/a',
  ].join('\r\n');
  const got = tokenize(text).map((t) => `${t.line}:${t.start}+${t.length} ${t.type}`);
  assert.deepEqual(got, [
    '0:0+5 variable',
    '0:5+3 operator',
    '0:8+8 string',
    '0:16+6 variable',
    '0:22+12 string',
    '1:0+8 comment',
    '2:0+11 comment',
    '3:0+3 keyword',
    '3:4+8 variable',
    '3:12+13 string',
    '3:26+8 number',
    '4:0+9 property',
    '4:11+10 variable',
    '6:7+5 variable',
    '7:0+3 comment',
    '8:0+4 keyword',
    '8:5+16 string',
  ]);
});

test('encode', () => {
  assert.deepEqual(
    encode([
      { line: 0, start: 0, length: 3, type: 'keyword' },
      { line: 0, start: 4, length: 5, type: 'string' },
      { line: 2, start: 1, length: 2, type: 'comment' },
    ]),
    [0, 0, 3, 1, 0, 0, 4, 5, 2, 0, 2, 1, 2, 0, 0],
  );
});
