/**
 * Decorator metadata for module mode's TypeScript. tsx compiles with esbuild,
 * which honours `experimentalDecorators` but never emits
 * `emitDecoratorMetadata`'s `design:paramtypes` / `design:type`: NestJS then
 * cannot inject constructor parameters and TypeORM cannot infer column types.
 * A file that uses decorators, under a tsconfig that asks for that metadata,
 * is compiled by the app's own TypeScript (`transpileModule`, per file, no
 * type check) instead; every other file stays with tsx. No copy of
 * TypeScript ships with culprit: an app that asks for the metadata has one.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** The part of TypeScript's API used here (the app's own `typescript` package). */
interface TypeScriptApi {
  findConfigFile(dir: string, exists: (path: string) => boolean): string | undefined;
  getParsedCommandLineOfConfigFile(
    path: string,
    extend: object | undefined,
    host: object,
  ): { options: Record<string, unknown> } | undefined;
  transpileModule(
    source: string,
    options: { compilerOptions: Record<string, unknown>; fileName: string },
  ): { outputText: string };
  sys: { fileExists(path: string): boolean } & object;
  ModuleKind: { CommonJS: number; ESNext: number };
}

export type OutputFormat = 'commonjs' | 'module';

/** A TypeScript file name that tsx would compile. */
export const TS_FILE = /\.(?:[cm]?ts|tsx)$/;

/**
 * A decorator applied in the source, `@Name(` or `@Name` alone on its line: a
 * cheap test before any parsing (a false hit, an e-mail in a string, only
 * costs a slower compile of that file).
 */
const DECORATOR = /@[A-Za-z_$][\w$.]*\s*\(|^\s*@[A-Za-z_$][\w$.]*\s*$/m;

export function usesDecorators(source: string): boolean {
  return source.includes('@') && DECORATOR.test(source);
}

interface Compiler {
  ts: TypeScriptApi;
  options: Record<string, unknown>;
}

/** Per tsconfig path (or per folder without one): its compiler, or null when no metadata is asked for. */
const compilers = new Map<string, Compiler | null>();
const configOfDir = new Map<string, string | undefined>();

function loadTypeScript(file: string): TypeScriptApi | undefined {
  try {
    return createRequire(file)('typescript') as TypeScriptApi;
  } catch {
    return undefined;
  }
}

function compilerFor(file: string): Compiler | null {
  const dir = dirname(file);
  const ts = loadTypeScript(file);
  if (!ts) return null;
  if (!configOfDir.has(dir)) configOfDir.set(dir, ts.findConfigFile(dir, ts.sys.fileExists));
  const config = configOfDir.get(dir);
  if (!config) return null;
  const known = compilers.get(config);
  if (known !== undefined) return known;
  const parsed = ts.getParsedCommandLineOfConfigFile(config, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => undefined,
  });
  const options = parsed?.options;
  const compiler = options?.emitDecoratorMetadata && options.experimentalDecorators ? { ts, options } : null;
  compilers.set(config, compiler);
  return compiler;
}

/**
 * JavaScript with decorator metadata for `file`, or undefined when tsx's output
 * is right (no decorators, no metadata asked for, or no TypeScript to hand).
 * The inline source map points at the `.ts` file, so frames keep its lines.
 */
export function compileWithMetadata(file: string, format: OutputFormat, source?: string): string | undefined {
  if (!TS_FILE.test(file) || file.includes('/node_modules/')) return undefined;
  const text = source ?? readFileSync(file, 'utf8');
  if (!usesDecorators(text)) return undefined;
  const compiler = compilerFor(file);
  if (!compiler) return undefined;
  const { ts, options } = compiler;
  const { outputText } = ts.transpileModule(text, {
    fileName: file,
    compilerOptions: {
      ...options,
      module: format === 'module' ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
      moduleResolution: undefined,
      sourceMap: false,
      inlineSourceMap: true,
      inlineSources: true,
      declaration: false,
      declarationMap: false,
      noEmit: false,
      outDir: undefined,
      outFile: undefined,
      sourceRoot: undefined,
      mapRoot: undefined,
    },
  });
  return outputText;
}
