/**
 * Installs the remote-operation hooks (outbound HTTP, Redis). They stay idle
 * until a trace asks for records: the HTTP channels are subscribed only then,
 * and the wrappers return at a flag check.
 */
import { noteFault } from '../faults.js';
import { installAxiosEntryHook } from './axios-entry.js';
import { installGotEntryHook } from './got-entry.js';
import { installHttpClientHooks, listenHttp } from './http-client.js';
import { installIoredisHooks } from './ioredis.js';
import { installNodeRedisHooks } from './node-redis.js';

export function installRemoteHooks(): void {
  try {
    installHttpClientHooks();
  } catch (error) {
    noteFault('remote hooks', error);
  }
  installRedisHooks();
}

/** The Redis client hooks, got's and axios's entries (the probe loads them with the drivers, hook-loading.ts). */
export function installRedisHooks(): void {
  try {
    installGotEntryHook();
    installAxiosEntryHook();
    installIoredisHooks();
    installNodeRedisHooks();
  } catch (error) {
    noteFault('remote hooks', error);
  }
}

/** Turns the HTTP channel subscriptions on or off with the trace's recording. */
export function listenRemote(on: boolean): void {
  listenHttp(on);
}
