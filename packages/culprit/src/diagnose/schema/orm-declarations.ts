/**
 * Tables and indexes declared through a query builder or an ORM: Knex and
 * Kysely schema builders, Sequelize models and migrations, TypeORM and
 * MikroORM entities, Drizzle tables, Objection models. Each recogniser reads
 * one written form and the names the table gets from it (explicit, or the
 * ORM's convention for a model's name). Pure.
 */
import { pluralName, snakeCase, type TableDeclaration, tableName } from './declaration.js';
import { closingOffset } from './source-text.js';

type LineAt = (offset: number) => number;
type Recogniser = (file: string, text: string, lineAt: LineAt) => TableDeclaration[];

/** A quoted name; its groups are named since the patterns around it number theirs. */
const QUOTED = String.raw`(?<q>['"\x60])(?<name>[\w$.]+)\k<q>`;

function declaration(
  file: string,
  lineAt: LineAt,
  names: string[],
  kind: TableDeclaration['kind'],
  at: number,
  end = at,
): TableDeclaration {
  return { names: [...new Set(names.map(tableName))], kind, file, line: lineAt(at), endLine: lineAt(end) };
}

/** `.index(` / `.unique(` calls inside [from, to): a schema builder's or Drizzle's indexes of that table. */
function indexCalls(text: string, from: number, to: number, call: RegExp): number[] {
  const offsets: number[] = [];
  const pattern = new RegExp(call.source, 'g');
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match && match.index < to; match = pattern.exec(text)) offsets.push(match.index);
  return offsets;
}

/**
 * A class's fields set to a quoted name (`protected tableName = 'comments'`, or `this.tableName = 'comments'`
 * in the constructor tsc writes for it): a migration class that names its table once (AdonisJS Lucid's
 * `this.schema.createTable(this.tableName, …)`) and passes the field.
 */
function namedFields(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  const field = new RegExp(
    String.raw`^[ \t]*(?:this\.|(?:(?:public|protected|private|static|readonly|declare)\s+)*)(?<field>[A-Za-z_$][\w$]*)\s*(?::\s*string\s*)?=\s*${QUOTED}`,
    'gm',
  );
  for (const match of text.matchAll(field)) {
    const key = match.groups?.field;
    const name = match.groups?.name;
    if (key && name && !fields.has(key)) fields.set(key, name);
  }
  return fields;
}

/** Knex/Kysely `createTable('orders', …)` (or `this.tableName`, a field of the migration), Knex `alterTable`/`table` with `.index()`, `.unique()` or a composite `.primary([…])` inside, Sequelize `addIndex('orders', …)`. */
const schemaBuilder: Recogniser = (file, text, lineAt) => {
  const found: TableDeclaration[] = [];
  const fields = /\bthis\.[\w$]+/.test(text) ? namedFields(text) : new Map<string, string>();
  const argument = String.raw`(?:${QUOTED}|this\.(?<field>[A-Za-z_$][\w$]*)\s*[,)])`;
  const call = new RegExp(String.raw`\.(createTable(?:IfNotExists)?|alterTable|table)\s*\(\s*${argument}`, 'g');
  for (const match of text.matchAll(call)) {
    const field = match.groups?.field;
    const name = match.groups?.name ?? (field ? fields.get(field) : undefined);
    if (!name || match.index === undefined) continue;
    const open = text.indexOf('(', match.index);
    const close = closingOffset(text, open);
    if (match[1]?.startsWith('createTable')) found.push(declaration(file, lineAt, [name], 'table', match.index));
    // a composite key (`t.primary(['a', 'b'])`) is written among the table's indexes; `.primary()` on a column is
    // not. A key's columns are left out: a lookup by its second column wants an index of its own, not the key's first
    for (const at of indexCalls(text, open, close, /\.(?:index|unique)\s*\(|\.primary\s*\(\s*\[/)) {
      const index = declaration(file, lineAt, [name], 'index', at);
      const columns = text.startsWith('.primary', at) ? undefined : builderColumns(text, at);
      found.push(columns ? { ...index, columns } : index);
    }
  }
  for (const match of text.matchAll(new RegExp(String.raw`\.addIndex\s*\(\s*${QUOTED}`, 'g')))
    if (match.groups?.name && match.index !== undefined)
      found.push(declaration(file, lineAt, [match.groups.name], 'index', match.index));
  // Kysely: db.schema.createIndex('orders_status_idx').on('orders')
  const kysely = new RegExp(String.raw`\.createIndex\s*\([^)]*\)[^;]{0,200}?\.on\s*\(\s*${QUOTED}`, 'g');
  for (const match of text.matchAll(kysely))
    if (match.groups?.name && match.index !== undefined)
      found.push(declaration(file, lineAt, [match.groups.name], 'index', match.index));
  return found;
};

/** An option `key: 'value'` inside [from, to). */
function option(text: string, from: number, to: number, key: string): string | undefined {
  return new RegExp(String.raw`\b${key}\s*:\s*${QUOTED}`).exec(text.slice(from, to))?.groups?.name;
}

/** The names Sequelize gives a model's table: `tableName`, else the model's name frozen or pluralised. */
function sequelizeNames(text: string, from: number, to: number, model: string): string[] {
  const explicit = option(text, from, to, 'tableName');
  return explicit ? [explicit] : [model, pluralName(model)];
}

/** Sequelize `sequelize.define('Order', …, { tableName, indexes })` and `Order.init(…, { sequelize, … })`. */
const sequelizeModel: Recogniser = (file, text, lineAt) => {
  const found: TableDeclaration[] = [];
  const starts = [
    ...[...text.matchAll(new RegExp(String.raw`\.define\s*\(\s*${QUOTED}`, 'g'))].map(
      (m) => [m, m.groups?.name] as const,
    ),
    ...[...text.matchAll(/\b([A-Z][\w$]*)\.init\s*\(/g)].map((m) => [m, m[1]] as const),
  ];
  for (const [match, model] of starts) {
    if (!model || match.index === undefined) continue;
    const open = text.indexOf('(', match.index);
    const close = closingOffset(text, open);
    // `X.init(` is also Sentry's, `.define(` a custom element's: a Sequelize model has its connection or types
    const body = text.slice(open, close);
    if (
      match[0].includes('.init') ? !/\bsequelize\b/.test(body) : !/\b(?:DataTypes|Sequelize)\.|\btableName\b/.test(body)
    )
      continue;
    const name = option(text, open, close, 'modelName') ?? model;
    const names = sequelizeNames(text, open, close, name);
    found.push(declaration(file, lineAt, names, 'table', match.index));
    const indexes = /\bindexes\s*:/.exec(text.slice(open, close));
    if (indexes) found.push(declaration(file, lineAt, names, 'index', open + indexes.index));
  }
  return found;
};

/** The class a decorator at `at` belongs to: its name and the offset past its body. */
function decoratedClass(text: string, at: number): { name: string; end: number } | undefined {
  const head = /\bclass\s+([A-Za-z_$][\w$]*)[^{]*\{/g;
  head.lastIndex = at;
  const match = head.exec(text);
  if (!match?.[1] || match.index - at > 2_000) return undefined;
  return { name: match[1], end: closingOffset(text, match.index + match[0].length - 1) };
}

/**
 * The columns a schema builder's `.index('user_id')` or `.unique(['user_id', 'item_id'])` names, lower-case, in
 * order: without them an index the app declares is not told from a missing one. A chained `.index()` has none.
 */
function builderColumns(text: string, at: number): string[] | undefined {
  const open = text.indexOf('(', at);
  const head = /^\(\s*(?:['"`]([\w$]+)['"`]|\[([^\]]*)\])/.exec(text.slice(open, closingOffset(text, open) + 1));
  if (!head) return undefined;
  if (head[1]) return [head[1].toLowerCase()];
  const columns = head[2]?.split(',').map((entry) => /^\s*['"`]([\w$]+)['"`]\s*$/.exec(entry)?.[1]?.toLowerCase());
  return columns && columns.length > 0 && columns.every(Boolean) ? (columns as string[]) : undefined;
}

/** The properties a class-level `@Index('name', ['tenantId', 'createdAt'])` lists, lower-case, in order. */
function decoratorColumns(text: string, at: number): string[] | undefined {
  const open = text.indexOf('(', at);
  const list = /^\(\s*(?:['"`][^'"`]*['"`]\s*,\s*)?\[([^\]]*)\]/.exec(text.slice(open, closingOffset(text, open)))?.[1];
  const columns = list?.split(',').map((entry) => /^\s*['"`]([\w$]+)['"`]\s*$/.exec(entry)?.[1]?.toLowerCase());
  return columns && columns.length > 0 && columns.every(Boolean) ? (columns as string[]) : undefined;
}

/**
 * TypeORM `@Entity('orders')` / `@Entity({ name })`, MikroORM `@Entity({ tableName })`, sequelize-typescript
 * `@Table({ tableName })`, with the class's `@Index`/`@Unique` decorators (above the class or on its fields).
 */
const entityClass: Recogniser = (file, text, lineAt) => {
  const found: TableDeclaration[] = [];
  let previousEnd = 0;
  for (const match of text.matchAll(/@(Entity|Table)\s*\(/g)) {
    if (match.index === undefined || match.index < previousEnd) continue;
    const open = match.index + match[0].length - 1;
    const close = closingOffset(text, open);
    const cls = decoratedClass(text, close);
    if (!cls) continue;
    const args = text.slice(open, close);
    const explicit =
      new RegExp(String.raw`^\(\s*${QUOTED}`).exec(args)?.groups?.name ??
      option(text, open, close, 'tableName') ??
      (match[1] === 'Entity' ? option(text, open, close, 'name') : undefined);
    const names = explicit
      ? [explicit]
      : match[1] === 'Table'
        ? [cls.name, pluralName(cls.name)]
        : [snakeCase(cls.name), cls.name];
    found.push(declaration(file, lineAt, names, 'table', match.index));
    // decorators between the previous class and this one's end are this class's
    for (const at of indexCalls(text, previousEnd, cls.end, /@(?:Index|Unique)\s*\(/)) {
      const index = declaration(file, lineAt, names, 'index', at);
      const columns = decoratorColumns(text, at);
      found.push(columns ? { ...index, columns } : index);
    }
    previousEnd = cls.end;
  }
  return found;
};

/** TypeORM's and MikroORM's `new EntitySchema({ name: 'Order', tableName: 'orders', indexes })`. */
const entitySchema: Recogniser = (file, text, lineAt) => {
  const found: TableDeclaration[] = [];
  for (const match of text.matchAll(/\bnew\s+EntitySchema\b[^(]{0,80}\(/g)) {
    if (match.index === undefined) continue;
    const open = match.index + match[0].length - 1;
    const close = closingOffset(text, open);
    const explicit = option(text, open, close, 'tableName');
    const entity = option(text, open, close, 'name') ?? option(text, open, close, 'class');
    const names = explicit ? [explicit] : entity ? [snakeCase(entity), entity] : [];
    if (names.length === 0) continue;
    found.push(declaration(file, lineAt, names, 'table', match.index));
    const indexes = /\b(?:indexes|indices|uniques)\s*:/.exec(text.slice(open, close));
    if (indexes) found.push(declaration(file, lineAt, names, 'index', open + indexes.index));
  }
  return found;
};

/** Drizzle `pgTable('orders', {…}, (t) => [index('…').on(t.status)])`, and mysqlTable/sqliteTable. */
const drizzleTable: Recogniser = (file, text, lineAt) => {
  const found: TableDeclaration[] = [];
  for (const match of text.matchAll(new RegExp(String.raw`\b(?:pg|mysql|sqlite)Table\s*\(\s*${QUOTED}`, 'g'))) {
    const name = match.groups?.name;
    if (!name || match.index === undefined) continue;
    const open = text.indexOf('(', match.index);
    found.push(declaration(file, lineAt, [name], 'table', match.index));
    for (const at of indexCalls(text, open, closingOffset(text, open), /\b(?:uniqueIndex|index)\s*\(/))
      found.push(declaration(file, lineAt, [name], 'index', at));
  }
  return found;
};

/** Objection `static tableName = 'orders'` and `static get tableName() { return 'orders'; }`. */
const objectionModel: Recogniser = (file, text, lineAt) => {
  const pattern = new RegExp(
    String.raw`\bstatic\s+(?:readonly\s+)?(?:get\s+tableName\s*\(\s*\)\s*(?::\s*string\s*)?\{\s*return\s+|tableName\s*(?::\s*string\s*)?=\s*)${QUOTED}`,
    'g',
  );
  return [...text.matchAll(pattern)].flatMap((match) =>
    match.groups?.name && match.index !== undefined
      ? [{ ...declaration(file, lineAt, [match.groups.name], 'table', match.index), mapsOnly: true as const }]
      : [],
  );
};

export const ormRecognisers: readonly Recogniser[] = [
  schemaBuilder,
  sequelizeModel,
  entityClass,
  entitySchema,
  drizzleTable,
  objectionModel,
];
