/**
 * Node's asynchronous forms of work whose `…Sync` sibling runs it on the event loop (`crypto.scrypt`,
 * `zlib.gzip`): the work itself runs on libuv's thread pool, so "use the asynchronous form" is no advice
 * for them. What the profile still charges to the call on the event loop is starting it (checking its
 * arguments, setting up the job: ≈10 ms for an scrypt of 16 MB), paid once per call. Pure.
 */

/** Asynchronous Node functions whose heavy part runs off the event loop, by name. */
const ASYNC_FORMS = new Set([
  'scrypt',
  'pbkdf2',
  'hkdf',
  'randomBytes',
  'randomFill',
  'generateKeyPair',
  'generatePrime',
  'checkPrime',
  'deflate',
  'deflateRaw',
  'inflate',
  'inflateRaw',
  'gzip',
  'gunzip',
  'unzip',
  'brotliCompress',
  'brotliDecompress',
]);

/** Whether a Node function the profile charged is the asynchronous form of work (its Sync sibling blocks). */
export function isAsyncNodeForm(name: string): boolean {
  return ASYNC_FORMS.has(name);
}

export function asyncFormAdvice(name: string): string {
  return `${name} is already the asynchronous form: its work runs on libuv's thread pool, and what the event loop pays is starting each call. Run it less often on this path (cache its result where that is safe, or limit how often callers can trigger it); a ${name}Sync would block for the whole work.`;
}
