// Preloaded by app-startup.mjs --callgrind: the process exits once its first server listens (or
// CULPRIT_EXIT_AFTER_MS later: the probe's server side loads as the server listens), so a run under
// valgrind counts the start-up and nothing after it.
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => setTimeout(() => process.exit(0), Number(process.env.CULPRIT_EXIT_AFTER_MS ?? 0)));
  return listen.apply(this, args);
};
