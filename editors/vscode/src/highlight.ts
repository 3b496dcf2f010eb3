// Highlighting of .http / .rest files for users without an HTTP extension
// (REST Client, httpyac, …): semantic tokens, registered only when no other
// installed extension contributes a grammar for the http language, so that
// theirs is never overridden. Pure (no vscode import), for unit tests.

/** Token types of the legend, in order. */
export const TOKEN_TYPES = ['comment', 'keyword', 'string', 'variable', 'property', 'operator', 'number'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/** A token: line, start character (UTF-16), length, type. */
export interface Token {
  line: number;
  start: number;
  length: number;
  type: TokenType;
}

/** An installed extension as far as detection needs it. */
export interface ExtensionInfo {
  id: string;
  packageJSON: unknown;
}

/**
 * otherHttpGrammar returns the id of an installed extension other than
 * selfId that contributes a TextMate grammar for the http language (or for
 * .http files through a language of its own), or undefined.
 */
export function otherHttpGrammar(extensions: readonly ExtensionInfo[], selfId: string): string | undefined {
  for (const e of extensions) {
    if (e.id.toLowerCase() === selfId.toLowerCase()) {
      continue;
    }
    const contributes = get(e.packageJSON, 'contributes');
    const httpLanguages = new Set<string>(['http']);
    for (const lang of arr(get(contributes, 'languages'))) {
      const exts = arr(get(lang, 'extensions')).map((x) => String(x).toLowerCase());
      const id = get(lang, 'id');
      if (typeof id === 'string' && (exts.includes('.http') || exts.includes('.rest'))) {
        httpLanguages.add(id);
      }
    }
    for (const g of arr(get(contributes, 'grammars'))) {
      const lang = get(g, 'language');
      if (typeof lang === 'string' && httpLanguages.has(lang)) {
        return e.id;
      }
    }
  }
  return undefined;
}

const METHODS = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|TRACE|CONNECT|GRAPHQL)\b/;
const VARIABLE = /\{\{[^{}]*\}\}/g;

/**
 * tokenize returns the tokens of a request file: comments and ### separators,
 * the method and URL of each request line, header names and values,
 * {{variables}} everywhere outside comments, and @name = value file
 * variables. Bodies are left alone (JSON and XML are not parsed here).
 */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const lines = text.split(/\r?\n/);
  // state: 'between' (before a request line), 'headers', 'body'
  let state: 'between' | 'headers' | 'body' = 'between';
  const vars = (line: number, s: string, offset: number, fallback?: TokenType) => {
    let last = 0;
    VARIABLE.lastIndex = 0;
    for (let m = VARIABLE.exec(s); m; m = VARIABLE.exec(s)) {
      if (fallback && m.index > last) out.push({ line, start: offset + last, length: m.index - last, type: fallback });
      out.push({ line, start: offset + m.index, length: m[0].length, type: 'variable' });
      last = m.index + m[0].length;
    }
    if (fallback && last < s.length) out.push({ line, start: offset + last, length: s.length - last, type: fallback });
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const trimmed = l.trimStart();
    const indent = l.length - trimmed.length;
    if (trimmed.startsWith('###')) {
      out.push({ line: i, start: indent, length: trimmed.length, type: 'comment' });
      state = 'between';
      continue;
    }
    if (state !== 'body' && (trimmed.startsWith('#') || trimmed.startsWith('//'))) {
      out.push({ line: i, start: indent, length: trimmed.length, type: 'comment' });
      continue;
    }
    if (state === 'between') {
      if (trimmed === '') {
        continue;
      }
      const fileVar = /^@([\w.-]+)(\s*=\s*)(.*)$/.exec(trimmed);
      if (fileVar) {
        out.push({ line: i, start: indent, length: fileVar[1].length + 1, type: 'variable' });
        out.push({ line: i, start: indent + fileVar[1].length + 1, length: fileVar[2].length, type: 'operator' });
        vars(i, fileVar[3], indent + fileVar[1].length + 1 + fileVar[2].length, 'string');
        continue;
      }
      const m = METHODS.exec(trimmed);
      let urlStart = indent;
      if (m) {
        out.push({ line: i, start: indent, length: m[0].length, type: 'keyword' });
        urlStart = indent + m[0].length + (trimmed.slice(m[0].length).length - trimmed.slice(m[0].length).trimStart().length);
      }
      const rest = l.slice(urlStart);
      const version = / HTTP\/\d(\.\d)?\s*$/.exec(rest);
      const url = version ? rest.slice(0, version.index) : rest.trimEnd();
      vars(i, url, urlStart, 'string');
      if (version) {
        out.push({ line: i, start: urlStart + version.index + 1, length: version[0].trim().length, type: 'number' });
      }
      state = 'headers';
      continue;
    }
    if (state === 'headers') {
      if (trimmed === '') {
        state = 'body';
        continue;
      }
      const h = /^([!#$%&'*+.^_`|~\w-]+)(\s*:\s*)(.*)$/.exec(l);
      if (h) {
        out.push({ line: i, start: 0, length: h[1].length, type: 'property' });
        vars(i, h[3], h[1].length + h[2].length, 'string');
      } else {
        // A query continuation line (?a=1 / &b=2) of the URL above.
        vars(i, l.trimEnd(), 0, 'string');
      }
      continue;
    }
    vars(i, l, 0);
  }
  return out;
}

/** encode turns tokens into the relative integer form of LSP/VS Code semantic tokens. */
export function encode(tokens: readonly Token[]): number[] {
  const data: number[] = [];
  let prevLine = 0;
  let prevStart = 0;
  for (const t of tokens) {
    if (t.length <= 0) continue;
    const dl = t.line - prevLine;
    const ds = dl === 0 ? t.start - prevStart : t.start;
    data.push(dl, ds, t.length, TOKEN_TYPES.indexOf(t.type), 0);
    prevLine = t.line;
    prevStart = t.start;
  }
  return data;
}

function get(v: unknown, key: string): unknown {
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
