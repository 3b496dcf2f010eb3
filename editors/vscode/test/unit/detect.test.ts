import * as assert from 'node:assert/strict';
import { test } from 'node:test';

import { isRelevant, looksLikeApiDefinition, SNIFF_LIMIT } from '../../src/detect';

test('isRelevant', () => {
  const cases: { name: string; file: string; lang: string; text: string; want: boolean }[] = [
    { name: 'http file', file: '/w/api.http', lang: 'http', text: '', want: true },
    { name: 'rest file in plaintext mode', file: '/w/api.rest', lang: 'plaintext', text: '', want: true },
    { name: 'SAM template', file: '/w/template.yaml', lang: 'yaml', text: "Transform: AWS::Serverless-2016-10-31\nResources: {}\n", want: true },
    { name: 'CFN JSON', file: '/w/stack.json', lang: 'json', text: '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}', want: true },
    { name: 'CFN without version', file: '/w/api.yml', lang: 'yaml', text: 'Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n', want: true },
    { name: 'HTTP API', file: '/w/api.yml', lang: 'yaml', text: 'Resources:\n  Api:\n    Type: "AWS::ApiGatewayV2::Api"\n', want: true },
    { name: 'OpenAPI 3 YAML', file: '/w/openapi.yaml', lang: 'yaml', text: 'openapi: 3.0.1\ninfo: {title: 注文}\n', want: true },
    { name: 'Swagger 2 JSON', file: '/w/export.json', lang: 'json', text: '{\n  "swagger": "2.0",\n  "info": {}\n}', want: true },
    { name: 'API Gateway export extension', file: '/w/x.yaml', lang: 'yaml', text: 'paths:\n  /a:\n    get:\n      x-amazon-apigateway-integration: {}\n', want: true },
    { name: 'env file', file: '/w/http-client.env.json', lang: 'json', text: '{}', want: true },
    { name: 'private env file', file: 'C:\\w\\http-client.private.env.json', lang: 'json', text: '{}', want: true },
    { name: 'gw403 config', file: '/w/.gw403.yaml', lang: 'yaml', text: 'apis: {}', want: true },
    { name: 'docker compose', file: '/w/docker-compose.yml', lang: 'yaml', text: 'services:\n  db:\n    image: postgres\n', want: false },
    { name: 'GitHub workflow', file: '/w/.github/workflows/ci.yml', lang: 'yaml', text: 'on: push\njobs: {}\n', want: false },
    { name: 'package.json', file: '/w/package.json', lang: 'json', text: '{"name": "x", "openapi-generator": "1"}', want: false },
    { name: 'nested openapi key in YAML', file: '/w/values.yaml', lang: 'yaml', text: 'docs:\n  openapi: true\n', want: false },
    { name: 'markdown', file: '/w/README.md', lang: 'markdown', text: 'AWSTemplateFormatVersion:', want: false },
  ];
  for (const c of cases) {
    const got = isRelevant(c.file, c.lang, () => c.text);
    assert.equal(got, c.want, `${c.name}: isRelevant(${c.file}) = ${got}, want ${c.want}`);
  }
});

test('isRelevant reads no text for request files', () => {
  const got = isRelevant('/w/a.http', 'http', () => {
    throw new Error('read');
  });
  assert.equal(got, true);
});

test('looksLikeApiDefinition reads only the start', () => {
  const late = 'a: 1\n'.repeat(SNIFF_LIMIT) + 'AWSTemplateFormatVersion: "2010-09-09"\n';
  assert.equal(looksLikeApiDefinition(late), false);
  const early = 'AWSTemplateFormatVersion: "2010-09-09"\n' + 'a: 1\n'.repeat(SNIFF_LIMIT);
  assert.equal(looksLikeApiDefinition(early), true);
});
