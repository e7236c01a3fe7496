import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'pages' })
export class Page {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'string', length: 255 })
  path!: string;

  @Property({ type: 'string', length: 255 })
  title!: string;

  @Property({ type: 'string', length: 64 })
  section!: string;

  @Property({ type: 'datetime' })
  publishedAt!: Date;
}
