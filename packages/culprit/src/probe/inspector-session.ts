/**
 * The probe's in-process inspector session. In-process `Session.post` runs
 * its callback synchronously, which `postSync` relies on to take a coverage
 * window exactly at a request's start and finish.
 */
import { Session } from 'node:inspector';

let session: Session | undefined;

/** The shared session, connected on first use. */
export function inspectorSession(): Session {
  if (!session) {
    session = new Session();
    session.connect();
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
