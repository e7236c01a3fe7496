// A lazy query, in the manner of Django's QuerySet: building one runs nothing;
// asking for rows runs the query once and caches the model instances.
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

type Step<T extends ObjectLiteral> = (query: SelectQueryBuilder<T>) => SelectQueryBuilder<T>;
/** Loads related rows for a batch of loaded instances (Django's prefetch_related). */
type Prefetch<T> = (dataSource: DataSource, instances: T[]) => Promise<void>;

export class QuerySet<T extends ObjectLiteral> {
  private resultCache: T[] | null = null;

  constructor(
    readonly model: new () => T,
    private readonly dataSource: DataSource,
    private readonly steps: ReadonlyArray<Step<T>> = [],
    private readonly prefetches: ReadonlyArray<Prefetch<T>> = [],
  ) {}

  /** A new QuerySet with one more refinement (filter, join, order), like `.filter()` / `.select_related()`. */
  refine(step: Step<T>): QuerySet<T> {
    return new QuerySet(this.model, this.dataSource, [...this.steps, step], this.prefetches);
  }

  /** A new QuerySet that also runs `prefetch` on whatever it loads. */
  prefetchRelated(prefetch: Prefetch<T>): QuerySet<T> {
    return new QuerySet(this.model, this.dataSource, this.steps, [...this.prefetches, prefetch]);
  }

  private async withPrefetched(instances: T[]): Promise<T[]> {
    for (const prefetch of this.prefetches) await prefetch(this.dataSource, instances);
    return instances;
  }

  /** The SQL builder behind this QuerySet; the alias is the model's name in lower case. */
  query(): SelectQueryBuilder<T> {
    const alias = this.model.name.toLowerCase();
    let query = this.dataSource.getRepository(this.model).createQueryBuilder(alias);
    for (const step of this.steps) query = step(query);
    return query;
  }

  async get(id: number): Promise<T | null> {
    const query = this.query();
    const instance = await query.andWhere(`${query.alias}.id = :pk`, { pk: id }).getOne();
    if (instance) await this.withPrefetched([instance]);
    return instance;
  }

  async count(): Promise<number> {
    return this.query().getCount();
  }

  /** The cheap way to ask "is there any row?": one `LIMIT 1` query, nothing built. */
  async exists(): Promise<boolean> {
    const query = this.query();
    const rows: unknown[] = await query.select(`${query.alias}.id`).limit(1).getRawMany();
    return rows.length > 0;
  }

  /** Evaluates the query: loads every row and builds one model instance per row, once. */
  async all(): Promise<T[]> {
    this.resultCache ??= await this.withPrefetched(await this.query().getMany());
    return this.resultCache;
  }

  /**
   * The truth value of the QuerySet, as `bool(queryset)` in Django: it
   * evaluates the whole query (Django's docs list "Testing a QuerySet in a
   * boolean context" among the things that evaluate it). Use exists() instead.
   */
  async isTruthy(): Promise<boolean> {
    return (await this.all()).length > 0;
  }
}
