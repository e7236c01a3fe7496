/**
 * The probe: preloaded into every Node process of the target's tree with
 * `NODE_OPTIONS=--import <this file>`. Built-ins only,
 * never throws into the app. It stays dormant (one `listen` observer) until
 * its process turns out to be the server: the main thread of the process whose
 * server listens on a TCP port. Then it connects to the CLI over the unix
 * socket named in CULPRIT_PROBE_SOCKET, reports the port, and records requests.
 * Intermediate processes (npm, sh, npx, the tsx CLI) load it and never connect.
 */
import {
  followWorkersFromStart,
  isLauncher,
  noteFault,
  onMainThread,
  SOCKET_ENV,
  watchDriverLoads,
  watchListening,
  wrapHttpOnRequire,
} from './start.js';

// What a process needs before it turns out to be the server is in ./start.js (one bundled file);
// the rest (./serve.js) loads when it does, so the tree's other processes start fast.
type Serve = typeof import('./serve.js');
let serve: Promise<Serve> | undefined;
const serveSide = (): Promise<Serve> => {
  serve ??= import('./serve.js');
  return serve;
};

/** Connects and turns recording on (once; later calls share the first's outcome). */
export async function startProbe(options: { keepAlive: boolean }): Promise<boolean> {
  return (await serveSide()).connectProbe(options);
}

/** This process may turn out to be the server: not a worker thread, not a launcher (npm, tsx's CLI). */
const mayServe = Boolean(process.env[SOCKET_ENV]) && !isLauncher(process.argv[1]) && onMainThread();

if (mayServe) {
  // before the app's code runs: what must see the app load its modules, start its workers or
  // listen. Hooks themselves load with their driver (hook-loading.ts), the rest once a server
  // listens; launchers load none of it.
  try {
    watchListening((port, address, secure) => {
      serveSide()
        .then((side) => side.announceListening(port, address, secure))
        .catch((error: unknown) => noteFault('probe start', error));
    });
    watchDriverLoads();
    wrapHttpOnRequire();
    followWorkersFromStart();
  } catch (error) {
    noteFault('probe start-up', error); // the app starts either way
  }
}
