/** Starts fixtures/otel-register/routes.cjs (a Koa app) with `--import culprit/register` for the register tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('../../../../../fixtures/otel-register/routes.cjs', import.meta.url));
const running = new Set<ChildProcess>();

export interface RoutesApp {
  base: string;
  child: ChildProcess;
  /** Resolves with the exit code and signal. */
  exited: Promise<[number | null, NodeJS.Signals | null]>;
  stderr(): string;
}

export async function startRoutesApp(env: Record<string, string>): Promise<RoutesApp> {
  const child = spawn(process.execPath, ['--import', 'culprit/register', fixture], {
    cwd: fileURLToPath(new URL('.', `file://${fixture}`)),
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  void exited.then(() => running.delete(child));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (\d+)/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`app exited before listening: ${stderr}`)));
  });
  return { base: `http://127.0.0.1:${port}`, child, exited, stderr: () => stderr };
}

/** Kills what is still running (an `after` hook). */
export function killRoutesApps(): void {
  for (const child of running) child.kill('SIGKILL');
}
