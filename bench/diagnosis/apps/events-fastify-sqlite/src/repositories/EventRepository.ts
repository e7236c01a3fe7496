import type Database from 'better-sqlite3';
import type { EventRow } from '../models';

const COLUMNS = 'id, title, summary, category, venue_id, starts_at, ends_at, price_cents, featured, rsvp_count';

export class EventRepository {
  constructor(private readonly db: Database.Database) {}

  findFeaturedUpcoming(now: string, limit: number): EventRow[] {
    return this.db
      .prepare(
        `SELECT ${COLUMNS} FROM events
         WHERE featured = 1 AND starts_at >= ?
         ORDER BY starts_at ASC
         LIMIT ?`
      )
      .all(now, limit) as EventRow[];
  }

  findUpcomingByCity(city: string, now: string, limit: number, offset: number): EventRow[] {
    return this.db
      .prepare(
        `SELECT e.id, e.title, e.summary, e.category, e.venue_id, e.starts_at, e.ends_at,
                e.price_cents, e.featured, e.rsvp_count
         FROM events e JOIN venues v ON v.id = e.venue_id
         WHERE v.city = ? AND e.starts_at >= ?
         ORDER BY e.starts_at ASC
         LIMIT ? OFFSET ?`
      )
      .all(city, now, limit, offset) as EventRow[];
  }

  findById(id: number): EventRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM events WHERE id = ?`).get(id) as EventRow | undefined;
  }

  incrementRsvp(id: number): boolean {
    const info = this.db.prepare('UPDATE events SET rsvp_count = rsvp_count + 1 WHERE id = ?').run(id);
    return info.changes > 0;
  }
}
