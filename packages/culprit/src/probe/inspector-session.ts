/**
 * The probe's in-process inspector session. In-process `Session.post` runs
 * its callback synchronously, which `postSync` relies on to take a coverage
 * window exactly at a request's start and finish.
 */
import type { Session } from 'node:inspector';

let session: Session | undefined;

/** The shared session, connected on first use. */
export function inspectorSession(): Session {
  if (!session) {
    // node:inspector is loaded here, at the CLI's first profile or count, not with the probe's server side
    const { Session: InspectorSession } = process.getBuiltinModule('node:inspector');
    const connected = new InspectorSession();
    connected.connect();
    session = connected;
    // a process.exit() while sampling or counting coverage sometimes ended in SIGSEGV (Node 20 and 22):
    // the app's own exit code is lost. Disconnecting first stops both.
    process.once('exit', () => {
      try {
        connected.disconnect();
      } catch {
        // exiting anyway: nothing to tell
      }
    });
  }
  return session;
}

/** Posts a protocol command and resolves with its result. */
export function post<T>(method: string, params: object = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    inspectorSession().post(method, params, (error, result) => {
      if (error) reject(error);
      else resolve(result as T);
    });
  });
}

/** Posts a command whose callback runs before `post` returns (true in-process); throws otherwise. */
export function postSync<T>(method: string, params: object = {}): T {
  let outcome: { error: Error | null; result: unknown } | undefined;
  inspectorSession().post(method, params, (error, result) => {
    outcome = { error, result };
  });
  if (!outcome) throw new Error(`inspector ${method} did not answer synchronously`);
  if (outcome.error) throw outcome.error;
  return outcome.result as T;
}
