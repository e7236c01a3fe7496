/**
 * CPU time of the app's thread, for a sampled request's CPU figure. Node 23.9+
 * reads the calling thread alone (`process.threadCpuUsage`, RUSAGE_THREAD):
 * cheaper than the whole process's figure, which the kernel sums over every
 * thread, and it leaves out culprit's own export worker, whose diagnosis of
 * earlier requests would otherwise count as this request's CPU. Older Node
 * reads the process (`process.cpuUsage`).
 */
type Reader = () => NodeJS.CpuUsage;

const thread = (process as { threadCpuUsage?: Reader }).threadCpuUsage;
const read: Reader = typeof thread === 'function' ? () => thread.call(process) : () => process.cpuUsage();

/** CPU milliseconds (user + system) so far; differences of two readings are what a request used. */
export function cpuNowMs(): number {
  const usage = read();
  return (usage.user + usage.system) / 1000;
}
