import * as assert from 'node:assert/strict';
import { test } from 'node:test';

import { environmentNames, environmentURLs, envNamesFromJson, linkCounts, mergeNames } from '../../src/environments';

test('envNamesFromJson', () => {
  const cases = [
    { name: 'http-client', text: '{"$shared": {"a": 1}, "prod": {}, "dev": {"x": "y"}}', kind: 'http-client' as const, want: ['prod', 'dev'] },
    { name: 'not an object', text: '[1]', kind: 'http-client' as const, want: [] },
    { name: 'broken', text: '{"dev": ', kind: 'http-client' as const, want: [] },
    {
      name: 'settings with comments and trailing commas',
      text: '{\n // envs\n "rest-client.environmentVariables": {\n  "$shared": {},\n  "ステージング": {"url": "https://x//y"}, /* c */\n  "local": {},\n },\n}',
      kind: 'rest-client-settings' as const,
      want: ['ステージング', 'local'],
    },
    { name: 'settings without envs', text: '{"editor.tabSize": 2}', kind: 'rest-client-settings' as const, want: [] },
  ];
  for (const c of cases) {
    assert.deepEqual(envNamesFromJson(c.text, c.kind), c.want, c.name);
  }
});

test('mergeNames', () => {
  assert.deepEqual(mergeNames(['prod', 'dev'], ['dev', 'local']), ['dev', 'local', 'prod']);
});

test('environmentNames', () => {
  assert.deepEqual(environmentNames({ environments: ['dev', 'prod'], current: 'dev' }), ['dev', 'prod']);
  assert.deepEqual(environmentNames(['dev', 1, 'prod']), ['dev', 'prod']);
  assert.equal(environmentNames(null), undefined);
  assert.equal(environmentNames({ current: 'dev' }), undefined);
});

test('environmentURLs', () => {
  assert.deepEqual(environmentURLs({ environments: ['dev'], urls: { dev: 'https://a', prod: 3 } }), { dev: 'https://a' });
  assert.deepEqual(environmentURLs({ environments: ['dev'] }), {});
  assert.deepEqual(environmentURLs(['dev']), {});
});

test('linkCounts', () => {
  assert.deepEqual(linkCounts({ linked: 3, unlinked: 1 }), { linked: 3, unlinked: 1 });
  assert.equal(linkCounts({ linked: '3', unlinked: 1 }), undefined);
  assert.equal(linkCounts(null), undefined);
});
