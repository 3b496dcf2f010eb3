// Environment names read from env files, used only when the server does not
// offer the gw403.listEnvironments command. Pure, for unit tests.

/**
 * envNamesFromJson returns the environment names of an http-client env file
 * (top-level keys; "$shared" is not an environment), or of the
 * rest-client.environmentVariables object of a .vscode/settings.json.
 * Unparsable text gives no names.
 */
export function envNamesFromJson(text: string, kind: 'http-client' | 'rest-client-settings'): string[] {
  let value: unknown;
  try {
    value = JSON.parse(stripJsonComments(text));
  } catch {
    return [];
  }
  if (kind === 'rest-client-settings') {
    value = isObject(value) ? value['rest-client.environmentVariables'] : undefined;
  }
  if (!isObject(value)) {
    return [];
  }
  return Object.keys(value).filter((k) => k !== '$shared' && isObject(value[k]));
}

/**
 * environmentNames reads the result of the server's gw403.listEnvironments
 * command: {"environments": [...], "current": "..."} or a plain array.
 * Anything else gives undefined.
 */
export function environmentNames(result: unknown): string[] | undefined {
  const list = isObject(result) ? result['environments'] : result;
  if (!Array.isArray(list)) {
    return undefined;
  }
  return list.filter((n): n is string => typeof n === 'string');
}

/**
 * environmentURLs reads the base URL of each environment from the result of
 * gw403.listEnvironments ({"urls": {"dev": "https://…"}}); {} when absent.
 */
export function environmentURLs(result: unknown): Record<string, string> {
  const urls = isObject(result) ? result['urls'] : undefined;
  const out: Record<string, string> = {};
  if (isObject(urls)) {
    for (const [k, v] of Object.entries(urls)) {
      if (typeof v === 'string') {
        out[k] = v;
      }
    }
  }
  return out;
}

/** linkCounts reads the result of gw403.linkCounts; undefined when malformed. */
export function linkCounts(result: unknown): { linked: number; unlinked: number } | undefined {
  if (!isObject(result) || typeof result['linked'] !== 'number' || typeof result['unlinked'] !== 'number') {
    return undefined;
  }
  return { linked: result['linked'], unlinked: result['unlinked'] };
}

/** mergeNames unions name lists, sorted and without duplicates. */
export function mergeNames(...lists: string[][]): string[] {
  return [...new Set(lists.flat())].sort();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// stripJsonComments removes // and /* */ comments and trailing commas
// outside strings (settings.json is JSONC).
export function stripJsonComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[++i] ?? '';
      } else if (c === '"') {
        inString = false;
      }
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      i += 2;
      while (i < text.length && !(text[i] === '*' && text[i + 1] === '/')) i++;
      i++;
    } else {
      out += c;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}
