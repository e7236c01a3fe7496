import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'page_views' })
@Index({ properties: ['viewedAt'] })
export class PageView {
  @PrimaryKey({ type: 'bigint' })
  id!: string;

  @Property({ type: 'string', length: 512 })
  path!: string;

  @Property({ type: 'string', length: 64 })
  visitorId!: string;

  @Property({ type: 'string', length: 255, nullable: true })
  referrer?: string;

  @Property({ type: 'integer' })
  durationMs!: number;

  @Property({ type: 'datetime' })
  viewedAt!: Date;
}
