// Preloaded by app-startup.mjs --callgrind: the process exits once its first server listens, so a run
// under valgrind counts the start-up and nothing after it.
const net = require('node:net');

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  this.once('listening', () => setImmediate(() => process.exit(0)));
  return listen.apply(this, args);
};
