import { spawn } from 'node:child_process';

/** Asks the desktop to open a URL; failure (no display, no opener) only means the user opens it by hand. */
export function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined); // the address is printed anyway
    child.unref();
  } catch {
    // spawn can throw synchronously on exotic platforms; the printed address is the fallback
  }
}
