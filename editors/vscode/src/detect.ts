// Which documents gw403-lsp is given. Request files always; YAML and JSON
// files only when a cheap look at their start says they are a SAM /
// CloudFormation template or an OpenAPI document, or when their name marks
// them as an environment or gw403 config file. Everything here is pure (no
// vscode import) so it is unit-tested with node's test runner.

/** How many characters of a YAML/JSON document the content check reads. */
export const SNIFF_LIMIT = 64 * 1024;

const requestExt = /\.(http|rest)$/i;
const yamlOrJsonExt = /\.(ya?ml|json|template)$/i;

// Names whose content matters to request checks whatever it looks like.
const envNames = [
  /(^|[\\/])http-client(\.private)?\.env\.json$/i,
  /(^|[\\/])\.gw403\.ya?ml$/i,
];

// Markers of a template or an API definition, looked for near the start.
const markers: RegExp[] = [
  /["']?AWSTemplateFormatVersion["']?\s*:/,
  /AWS::Serverless(-2016-10-31|::)/,
  /AWS::ApiGateway(V2)?::/,
  /x-amazon-apigateway-/,
  // OpenAPI 3 / Swagger 2: a top-level key (YAML) or any key (JSON).
  /^(openapi|swagger)\s*:/m,
  /"(openapi|swagger)"\s*:\s*"[23]/,
];

/** isRequestFile reports whether fileName is a .http / .rest request file. */
export function isRequestFile(fileName: string, languageId?: string): boolean {
  return languageId === 'http' || requestExt.test(fileName);
}

/** isEnvOrConfigFile reports whether fileName is an http-client env file or a .gw403.yaml. */
export function isEnvOrConfigFile(fileName: string): boolean {
  return envNames.some((re) => re.test(fileName));
}

/**
 * looksLikeApiDefinition reports whether text (the content of a YAML or JSON
 * file) starts like a SAM / CloudFormation template or an OpenAPI document.
 * Only the first SNIFF_LIMIT characters are read.
 */
export function looksLikeApiDefinition(text: string): boolean {
  const head = text.length > SNIFF_LIMIT ? text.slice(0, SNIFF_LIMIT) : text;
  return markers.some((re) => re.test(head));
}

/**
 * isRelevant decides whether a document goes to gw403-lsp. getText is only
 * called for YAML / JSON files, so request files cost nothing.
 */
export function isRelevant(fileName: string, languageId: string, getText: () => string): boolean {
  if (isRequestFile(fileName, languageId)) {
    return true;
  }
  if (isEnvOrConfigFile(fileName)) {
    return true;
  }
  const yamlOrJson =
    languageId === 'yaml' || languageId === 'json' || languageId === 'jsonc' || yamlOrJsonExt.test(fileName);
  return yamlOrJson && looksLikeApiDefinition(getText());
}
