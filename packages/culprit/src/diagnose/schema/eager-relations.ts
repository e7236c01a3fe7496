/**
 * A collection relation an entity declares eager (TypeORM's and MikroORM's
 * `@OneToMany(() => Item, …, { eager: true })`, `@ManyToMany(…, { eager:
 * true })`): every find of the entity joins it, whether or not the call asks,
 * and each row of the entity comes back once per related row. When a query's
 * joins multiply and the call names none of them, the declaration is the line
 * to change. Read from the entity's source text. Pure.
 */
import { pluralName, snakeCase } from './declaration.js';
import { closingOffset } from './source-text.js';

/** How far below the class's decorator its relations are looked for. */
const CLASS_LINES = 400;
/** Decorators of relations whose rows multiply the entity's. */
const COLLECTION = /@(?:OneToMany|ManyToMany)\s*\(/;
/** A decorator's arguments span at most this many lines. */
const DECORATOR_LINES = 8;

/** `() => TimeOffRequest`, `entity: () => Tag`, `'Tag'`: the related class a decorator names first. */
function relatedClass(text: string): string | undefined {
  return /=>\s*([A-Z][\w$]*)/.exec(text)?.[1] ?? /\(\s*['"]([A-Z][\w$]*)['"]/.exec(text)?.[1];
}

/** The property the decorated relation is stored in: the first declaration after the decorators. */
function propertyAfter(lines: readonly string[], from: number): string | undefined {
  for (let i = from; i < Math.min(lines.length, from + DECORATOR_LINES); i++) {
    const text = lines[i] ?? '';
    if (/^\s*@/.test(text) || /^\s*[)}\]]/.test(text)) continue;
    const name = /^\s*(?:(?:public|private|protected|readonly|declare)\s+)*([\w$]+)\s*[?!]?\s*[:;=]/.exec(text)?.[1];
    if (name) return name;
  }
  return undefined;
}

/**
 * The 1-based line of the eager collection relation, in the entity whose class follows `declarationLine`, that
 * joins one of `joined` (table names or aliases of the statement: TypeORM aliases a relation's join
 * `Entity__property`). Undefined when none does.
 */
export function eagerRelationLine(
  lines: readonly string[],
  declarationLine: number,
  joined: readonly string[],
): number | undefined {
  const names = joined.map((name) => name.toLowerCase());
  const joins = (target: string | undefined, property: string | undefined) =>
    (target !== undefined &&
      [snakeCase(target), pluralName(snakeCase(target)), target.toLowerCase(), pluralName(target)].some((n) =>
        names.includes(n),
      )) ||
    (property !== undefined && names.some((name) => name.endsWith(`__${property.toLowerCase()}`)));
  let classes = 0;
  for (let i = Math.max(0, declarationLine - 1); i < Math.min(lines.length, declarationLine + CLASS_LINES); i++) {
    const text = lines[i] ?? '';
    if (/\bclass\s+[\w$]/.test(text) && ++classes > 1) return undefined;
    if (!COLLECTION.test(text)) continue;
    const decorator = lines.slice(i, i + DECORATOR_LINES).join('\n');
    const args = decorator.slice(0, closingOffset(decorator, decorator.indexOf('(')));
    if (!/\beager\s*:\s*true\b/.test(args)) continue;
    const lineCount = args.split('\n').length;
    if (joins(relatedClass(args), propertyAfter(lines, i + lineCount))) return i + 1;
  }
  return undefined;
}
