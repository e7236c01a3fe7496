// A viewset in the manner of Django REST Framework's ModelViewSet: one
// instance per request, a base `queryset`, `getQueryset()` to refine it,
// `getObject()` and `getSerializer()` as the steps of `retrieve()`.
import type { DataSource, ObjectLiteral } from 'typeorm';
import { type Json, notFound } from './errors.js';
import { parseId, type QueryParams } from './params.js';
import type { QuerySet } from './queryset.js';
import {
  type FlexOptions,
  FlexSerializer,
  parseFlexOptions,
  type SerializerContext,
  type SerializerMeta,
} from './serializer.js';

/** Process-wide settings, as Django's `settings`. */
export interface Settings {
  environment: string;
}

export interface ViewRequest {
  params: Readonly<Record<string, string | undefined>>;
  query: QueryParams;
}

export interface ViewSetDeps {
  dataSource: DataSource;
  settings: Settings;
}

export abstract class ModelViewSet<T extends ObjectLiteral> {
  /** The base query of every action (DRF's class attribute `queryset`). */
  abstract readonly queryset: QuerySet<T>;
  abstract readonly serializerMeta: SerializerMeta<T>;
  /** Shown in 404 messages. */
  abstract readonly modelLabel: string;

  constructor(
    protected readonly deps: ViewSetDeps,
    protected readonly request: ViewRequest,
  ) {}

  getQueryset(): QuerySet<T> {
    return this.queryset;
  }

  getSerializerContext(): SerializerContext {
    return { img: 1 };
  }

  /** `fields`, `omit` and `expand` of the request, checked against the serializer. */
  getFlexOptions(): FlexOptions {
    const query = this.request.query;
    return parseFlexOptions(this.serializerMeta, {
      fields: query.list('fields'),
      omit: query.list('omit'),
      expand: query.list('expand'),
    });
  }

  async getObject(): Promise<T> {
    const id = parseId('id', this.request.params.id);
    const instance = await this.getQueryset().get(id);
    if (!instance) throw notFound(this.modelLabel, id);
    return instance;
  }

  async getSerializer(instance: T, options: FlexOptions): Promise<FlexSerializer<T>> {
    return new FlexSerializer(this.serializerMeta, instance, options, this.getSerializerContext());
  }

  /** A hook for side effects of a successful retrieve (e.g. recording a view). */
  async performRetrieve(_instance: T): Promise<void> {}

  async retrieve(): Promise<Json> {
    parseId('id', this.request.params.id);
    const options = this.getFlexOptions();
    this.getSerializerContext(); // parsed early: a bad `img` is a 400 before any query runs
    const instance = await this.getObject();
    const serializer = await this.getSerializer(instance, options);
    await this.performRetrieve(instance);
    return serializer.data;
  }
}

/** The constructor shape routes use to pick a viewset class at start-up. */
export type ViewSetClass<T extends ObjectLiteral> = new (deps: ViewSetDeps, request: ViewRequest) => ModelViewSet<T>;
