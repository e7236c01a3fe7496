import { CulpritError, isCulpritError } from '../errors/culprit-error.js';
import { type CliIo, INTERRUPTED_EXIT } from './command.js';
import { commands } from './registry.js';
import { safeStream } from './terminal-text.js';
import { culpritVersion } from './version.js';

async function topLevelHelp(): Promise<string> {
  const width = Math.max(...Object.keys(commands).map((name) => name.length), 8);
  const loaded = await Promise.all(Object.entries(commands).map(async ([name, load]) => [name, await load()] as const));
  const rows = loaded.map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`);
  return [
    'culprit: find out why a web request is slow, point at the line, prove the fix.',
    '',
    'Usage: culprit <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'Options:',
    '  -h, --help     show help (also: culprit <command> --help)',
    '  -V, --version  print the version',
    '',
  ].join('\n');
}

function defaultIo(signal: AbortSignal): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal };
}

/** Parses the command name, runs it, turns errors into one line on stderr and an exit code. */
export async function main(argv: string[], io?: CliIo): Promise<number> {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  if (!io) process.on('SIGINT', onInterrupt);
  const given = io ?? defaultIo(controller.signal);
  // every byte printed is escaped: captures and targets may carry terminal control sequences
  const cli: CliIo = { ...given, stdout: safeStream(given.stdout), stderr: safeStream(given.stderr) };
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
      cli.stdout.write(await topLevelHelp());
      return name === undefined ? 2 : 0;
    }
    if (name === '-V' || name === '--version') {
      cli.stdout.write(`${culpritVersion()}\n`);
      return 0;
    }
    const load = commands[name];
    if (!load) {
      throw new CulpritError(
        'CULPRIT_E_UNKNOWN_COMMAND',
        `unknown command '${name}'; expected one of: ${Object.keys(commands).join(', ')} (see culprit --help)`,
      );
    }
    const command = await load();
    if (rest.includes('--help') || rest.includes('-h')) {
      cli.stdout.write(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
      return 0;
    }
    return await command.run(rest, cli);
  } catch (error) {
    if (isCulpritError(error)) {
      cli.stderr.write(`culprit: ${error.code}: ${error.message}\n`);
      return error.code === 'CULPRIT_E_INTERRUPTED' ? INTERRUPTED_EXIT : error.exitCode;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    cli.stderr.write(`culprit: internal error (please report it): ${detail}\n`);
    return 1;
  } finally {
    if (!io) process.off('SIGINT', onInterrupt);
  }
}
