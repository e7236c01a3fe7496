/**
 * Turns data into text that is safe inside an HTML `<script>` element: the
 * parser ends a script at the first `</script` whatever the JSON means, and
 * `<!--` changes how it looks for the end. Escaping every `<`, `>` and `&` as
 * `\u003c`-style JSON escapes keeps the JSON identical once parsed; U+2028 and
 * U+2029 are escaped because some JS parsers treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => {
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Refuses code that would end its `<script>`/`<style>` element early (a build gone wrong, never user data). */
export function assertInlineable(text: string, element: 'script' | 'style'): string {
  if (new RegExp(`</${element}`, 'i').test(text) || text.includes('<!--')) {
    throw new Error(`viewer bundle contains '</${element}' or '<!--' and cannot be inlined`);
  }
  return text;
}
