/**
 * The line of a column inside a decorated entity class (TypeORM, MikroORM,
 * sequelize-typescript): where a single-column index is declared on the
 * property itself (`@Index()` above its `@Column()`), rather than at the
 * class. Read from the source text; undefined when the class does not show
 * the column plainly. Pure.
 */

/** How far below the class's decorator its properties are looked for. */
const CLASS_LINES = 300;
const DECORATED_CLASS = /@(?:Entity|Table)\s*\(/;
const PROPERTY = /^\s*(?:(?:public|private|protected|readonly|declare|override)\s+)*([\w$]+)\s*[?!]?\s*[:;=]/;
const DECORATOR = /^\s*@[\w$.]+/;

/** `borrowed_at` → `borrowedAt`: the property name ORMs map a snake_case column from by convention. */
function camelCase(column: string): string {
  return column.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * The 1-based line of the first decorator of the property that maps `column`
 * in the entity declared at `declarationLine` (its `@Entity`/`@Table` line).
 */
export function entityColumnLine(
  lines: readonly string[],
  declarationLine: number,
  column: string,
): number | undefined {
  const at = declarationLine - 1;
  if (!DECORATED_CLASS.test(lines[at] ?? '')) return undefined;
  const wanted = new Set([column.toLowerCase(), camelCase(column).toLowerCase()]);
  const named = new RegExp(`\\bname\\s*:\\s*['"\`]${column.replace(/[^\w$]/g, '')}['"\`]`);
  let decoratorsFrom: number | undefined;
  let namedHere = false;
  let classSeen = false;
  for (let i = at; i < Math.min(lines.length, at + CLASS_LINES); i++) {
    const text = lines[i] ?? '';
    if (/\bclass\s+[\w$]/.test(text)) {
      // the next class in the file is another entity's
      if (classSeen) return undefined;
      classSeen = true;
      continue;
    }
    if (!classSeen) continue;
    if (DECORATOR.test(text)) {
      decoratorsFrom ??= i + 1;
      if (named.test(text)) namedHere = true;
      continue;
    }
    const property = PROPERTY.exec(text)?.[1];
    if (property && (namedHere || wanted.has(property.toLowerCase()))) return decoratorsFrom ?? i + 1;
    if (text.trim() !== '' && !/^\s*[/*]/.test(text)) {
      decoratorsFrom = undefined;
      namedHere = false;
    }
  }
  return undefined;
}

/** A property's own index decorator: `@Index()` or `@Index({ unique: true })`, no columns listed. */
const PROPERTY_INDEX = /^\s*@Index\s*\(\s*(?:\{[^}]*\})?\s*\)\s*$/;

/**
 * Where an index led by `column` goes in an entity whose indexes are its properties' own decorators (the
 * index beside which a new one would be written, at `indexLine`, is `@Index()` above a property): at the
 * property that maps `column`, where its `@Index()` is written. Undefined for any other declaration.
 */
export function propertyIndexLine(lines: readonly string[], indexLine: number, column: string): number | undefined {
  if (!PROPERTY_INDEX.test(lines[indexLine - 1] ?? '')) return undefined;
  for (let at = indexLine - 1; at >= Math.max(1, indexLine - CLASS_LINES); at--) {
    if (DECORATED_CLASS.test(lines[at - 1] ?? '')) return entityColumnLine(lines, at, column);
  }
  return undefined;
}
