/**
 * Secrets inside free text culprit writes (heads of error bodies, request and
 * query errors, `--log` values, `--when` locals): header values such as
 * `Authorization: Bearer …`, `Cookie:`/`Set-Cookie:` lines, `"password": "…"`,
 * `token=…`, bearer and basic credentials and URL passwords become `?`. Names
 * stay, so the text still says what was there. Pure.
 */

/** A name whose value is a secret: passwords, tokens, keys, credentials, cookies, authorization. */
const SECRET_WORD =
  '(?:pass(?:word)?|passwd|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|authorization|auth|cookie|credentials?)';
const SECRET_NAME_SOURCE = `[\\w-]*${SECRET_WORD}s?(?![a-z])[\\w-]*`;

/** True for a variable, field or expression name whose value must not be written (`user.password`, `req.headers.cookie`). */
export function isSecretName(name: string): boolean {
  const last =
    name
      .split(/[.[\]'"]+/)
      .filter(Boolean)
      .pop() ?? name;
  return new RegExp(`^${SECRET_NAME_SOURCE}$`, 'i').test(last);
}

/** `Cookie: a=b; c=d` up to the end of the line (header values hold spaces and semicolons); quoted values are left to NAME_VALUE. */
const HEADER_LINE =
  /\b((?:set-)?cookie|(?:proxy-)?authorization|x-[\w-]*(?:token|key|secret))([ \t]*:[ \t]*)(?![ \t]*["'[])[^\r\n]+/gi;

/** `"password": "x"`, `token=x`, `api_key: 'x'`, `'set-cookie': [ … ]`. */
const NAME_VALUE = new RegExp(
  `(["']?)(${SECRET_NAME_SOURCE})\\1(\\s*[:=]\\s*)("(?:[^"\\\\]|\\\\.)*"|'(?:[^'\\\\]|\\\\.)*'|\\[[^\\]]*\\]|[^\\s,;&}\\]"']+)`,
  'gi',
);

/** `Bearer x`; `Basic x` unless x is a plain word, so "Basic authentication failed" stays. */
const SCHEME_CREDENTIALS = /\b(bearer|basic)(\s+)([\w.~+/=-]{6,})/gi;
const URL_PASSWORD = /(\b[a-z][\w+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi;

function quoted(value: string): string {
  if (value.startsWith('"')) return '"?"';
  if (value.startsWith("'")) return "'?'";
  if (value.startsWith('[')) return '[?]';
  return '?';
}

/** The text with every secret it carries replaced by `?` (see the file comment). */
export function redactText(text: string): string {
  return text
    .replace(HEADER_LINE, (_match, name: string, separator: string) => `${name}${separator}?`)
    .replace(
      NAME_VALUE,
      (_match, quote: string, name: string, separator: string, value: string) =>
        `${quote}${name}${quote}${separator}${quoted(value)}`,
    )
    .replace(SCHEME_CREDENTIALS, (match, scheme: string, space: string, credential: string) =>
      scheme.toLowerCase() === 'basic' && /^[A-Za-z][a-z]+$/.test(credential) ? match : `${scheme}${space}?`,
    )
    .replace(URL_PASSWORD, '$1?@');
}
