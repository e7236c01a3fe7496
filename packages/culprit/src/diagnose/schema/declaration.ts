/**
 * A place in the application's code that declares a table or one of its
 * indexes, and the names the table may have in the database (an ORM model
 * without an explicit name gets one by convention). Pure.
 */

export interface TableDeclaration {
  /** Lower-case names the table may have in the database (`orders`; `user`, `users` for a model `User`). */
  names: string[];
  kind: 'table' | 'index';
  file: string;
  /** 1-based line of the declaration. */
  line: number;
  /** Last line the declaration was recognised from (a model's `tableName` option below its `define`). */
  endLine: number;
  /**
   * Declared by a set-up script run by hand, like a seed script: one that
   * drops the tables it creates (`DROP TABLE IF EXISTS …; CREATE TABLE …`),
   * or one the server never loaded, outside migrations and .sql files.
   */
  setUp?: true;
  /**
   * A model that names its table but has no way to declare the table's indexes (Objection's `tableName`): the
   * indexes live in migrations, so the model is no place to add one.
   */
  mapsOnly?: true;
  /** An index's columns in order, lower-case and unquoted, where the declaration lists them plainly. */
  columns?: string[];
  /** A table's declared character set (MySQL/MariaDB `DEFAULT CHARSET=latin1`), lower-case, and its line. */
  charset?: DeclaredCharset;
  /** Columns of a table declared with a character set of their own (`code VARCHAR(8) CHARACTER SET ascii`). */
  columnCharsets?: Record<string, DeclaredCharset>;
}

export interface DeclaredCharset {
  name: string;
  line: number;
}

/** `"public"."Orders"` → `orders`: the comparable name of a possibly quoted, possibly qualified identifier. */
export function tableName(identifier: string): string {
  const parts = identifier.split('.');
  return (parts[parts.length - 1] ?? identifier).replace(/^["`[]|["`\]]$/g, '').toLowerCase();
}

/** Table names are compared without quotes, schema or case, as a plan prints them. */
export function declares(declaration: TableDeclaration, table: string): boolean {
  return declaration.names.includes(tableName(table));
}

/** `OrderItem` → `order_item`: TypeORM's and MikroORM's default table name of an entity class. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

const IRREGULAR: Record<string, string> = { person: 'people', child: 'children' };

/** `Category` → `categories`: the English plural Sequelize gives a model's table by default. */
export function pluralName(name: string): string {
  const lower = name.toLowerCase();
  for (const [one, many] of Object.entries(IRREGULAR))
    if (lower.endsWith(one)) return lower.slice(0, -one.length) + many;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}
