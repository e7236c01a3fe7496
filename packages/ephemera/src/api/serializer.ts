// Serializers with expandable fields, after drf-flex-fields: `expand` nests
// related objects (ids otherwise; `~all` expands every expandable field),
// `fields` keeps only the named fields, `omit` drops some. Unknown names are
// a 400 that names the parameter (flex-fields would ignore them silently).
import { badParameter, type Json } from './errors.js';

/** What a serializer may read besides the instance (e.g. which image size to link). */
export interface SerializerContext {
  img: number;
}

export interface ExpandableField<T> {
  /** The unexpanded value: the related id (or ids). */
  id(instance: T): Json;
  /** The expanded value: the related object(s), serialized. */
  expand(instance: T, context: SerializerContext): Json;
}

export interface SerializerMeta<T> {
  /** The model class this serializer is for (DRF's `Meta.model`). */
  model: new () => T;
  fields: Record<string, (instance: T, context: SerializerContext) => Json>;
  expandable: Record<string, ExpandableField<T>>;
}

export interface FlexOptions {
  /** null: every field. */
  fields: ReadonlySet<string> | null;
  omit: ReadonlySet<string>;
  expand: ReadonlySet<string>;
}

export const NO_FLEX: FlexOptions = { fields: null, omit: new Set(), expand: new Set() };

/** Checks `fields`, `omit` and `expand` against a serializer's names, before any query runs. */
export function parseFlexOptions<T>(
  meta: SerializerMeta<T>,
  raw: { fields: string[] | undefined; omit: string[] | undefined; expand: string[] | undefined },
): FlexOptions {
  const all = [...Object.keys(meta.fields), ...Object.keys(meta.expandable)];
  const known = (parameter: string, names: string[], allowed: string[]) => {
    for (const name of names) {
      if (!allowed.includes(name)) {
        const shown = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
        throw badParameter(parameter, `unknown field ${shown}; expected some of: ${allowed.join(', ')}`);
      }
    }
    return new Set(names);
  };
  const expandNames = raw.expand ?? [];
  const expand = expandNames.includes('~all')
    ? new Set(Object.keys(meta.expandable))
    : known('expand', expandNames, Object.keys(meta.expandable));
  return {
    fields: raw.fields === undefined ? null : known('fields', raw.fields, all),
    omit: known('omit', raw.omit ?? [], all),
    expand,
  };
}

export class FlexSerializer<T> {
  constructor(
    readonly Meta: SerializerMeta<T>,
    readonly instance: T,
    readonly options: FlexOptions = NO_FLEX,
    readonly context: SerializerContext = { img: 1 },
  ) {}

  private wanted(name: string): boolean {
    return (this.options.fields === null || this.options.fields.has(name)) && !this.options.omit.has(name);
  }

  /** The serialized representation (DRF's `serializer.data`). */
  get data(): Record<string, Json> {
    const out: Record<string, Json> = {};
    for (const [name, read] of Object.entries(this.Meta.fields)) {
      if (this.wanted(name)) out[name] = read(this.instance, this.context);
    }
    for (const [name, field] of Object.entries(this.Meta.expandable)) {
      if (!this.wanted(name)) continue;
      out[name] = this.options.expand.has(name) ? field.expand(this.instance, this.context) : field.id(this.instance);
    }
    return out;
  }
}
