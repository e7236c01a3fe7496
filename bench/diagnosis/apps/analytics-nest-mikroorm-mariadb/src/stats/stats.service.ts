import { Inject, Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/mariadb';
import { ORM } from '../database/database.module';
import { Page } from '../entities/page.entity';
import type { PageRef, PageStats, ViewRow } from './stats.types';

interface Bucket {
  page: PageRef;
  views: number;
  visitors: Set<string>;
  totalDurationMs: number;
}

function stripQuery(path: string): string {
  const cut = path.search(/[?#]/);
  return cut === -1 ? path : path.slice(0, cut);
}

@Injectable()
export class StatsService {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  private async loadPages(): Promise<PageRef[]> {
    const em = this.orm.em.fork();
    const pages = await em.find(Page, {}, { fields: ['id', 'path', 'title', 'section'], orderBy: { path: 'asc' } });
    return pages.map((p) => ({ id: p.id, path: p.path, title: p.title, section: p.section }));
  }

  private async loadViews(days: number): Promise<ViewRow[]> {
    const since = new Date(Date.now() - days * 24 * 3600 * 1000);
    return this.orm.em
      .getConnection()
      .execute<ViewRow[]>(
        'SELECT path, visitor_id AS visitorId, duration_ms AS durationMs FROM page_views WHERE viewed_at >= ?',
        [since],
      );
  }

  aggregate(pages: PageRef[], views: ViewRow[]): Bucket[] {
    const buckets = new Map<number, Bucket>();
    for (const view of views) {
      const path = stripQuery(view.path);
      let page: PageRef | undefined;
      for (const candidate of pages) {
        if (candidate.path === path) {
          page = candidate;
          break;
        }
      }
      if (!page) continue;
      let bucket = buckets.get(page.id);
      if (!bucket) {
        bucket = { page, views: 0, visitors: new Set(), totalDurationMs: 0 };
        buckets.set(page.id, bucket);
      }
      bucket.views += 1;
      bucket.visitors.add(view.visitorId);
      bucket.totalDurationMs += view.durationMs;
    }
    return [...buckets.values()];
  }

  async topPages(limit: number, days: number): Promise<{ days: number; totalViews: number; pages: PageStats[] }> {
    const [pages, views] = await Promise.all([this.loadPages(), this.loadViews(days)]);
    const buckets = this.aggregate(pages, views);
    buckets.sort((a, b) => b.views - a.views);
    return {
      days,
      totalViews: views.length,
      pages: buckets.slice(0, limit).map((b) => ({
        pageId: b.page.id,
        path: b.page.path,
        title: b.page.title,
        section: b.page.section,
        views: b.views,
        uniqueVisitors: b.visitors.size,
        avgDurationMs: Math.round(b.totalDurationMs / b.views),
      })),
    };
  }
}
