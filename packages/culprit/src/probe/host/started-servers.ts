/**
 * A module that serves by itself (a Nest `main.ts` whose `bootstrap()` calls
 * `app.listen`, an Express script ending in `app.listen(3000)`) exports
 * nothing to serve: module mode then takes the HTTP server it started and
 * hands requests to it in memory, like any other.
 */
import http from 'node:http';
import net from 'node:net';

/** Resolves with the first `http.Server` of this process that listens from now on. */
export function firstListeningServer(): Promise<http.Server> {
  return new Promise((resolve) => {
    const original = net.Server.prototype.listen;
    let found = false;
    const wrapper = function culpritHostListen(this: net.Server, ...args: unknown[]) {
      if (!found && this instanceof http.Server) {
        found = true;
        this.once('listening', () => resolve(this as http.Server));
        // put back what was there, unless someone wrapped listen after us
        if (net.Server.prototype.listen === wrapper) net.Server.prototype.listen = original;
      }
      return Reflect.apply(original, this, args) as net.Server;
    } as typeof original;
    net.Server.prototype.listen = wrapper;
  });
}

/** A namespace with no export at all (an ES module script, or CommonJS whose `module.exports` stayed empty). */
export function exportsNothing(namespace: Record<string, unknown>): boolean {
  const names = Object.keys(namespace).filter((name) => name !== '__esModule' && name !== 'module.exports');
  if (names.length === 0) return true;
  if (names.length !== 1 || names[0] !== 'default') return false;
  // CommonJS's untouched `module.exports`: a plain empty object (a promise or an app instance is an export)
  const only = namespace.default;
  if (typeof only !== 'object' || only === null) return false;
  const proto = Object.getPrototypeOf(only);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(only).filter((name) => name !== '__esModule').length === 0;
}
