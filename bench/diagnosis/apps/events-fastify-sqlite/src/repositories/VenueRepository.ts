import type Database from 'better-sqlite3';
import type { VenueRow } from '../models';

export class VenueRepository {
  constructor(private readonly db: Database.Database) {}

  findById(id: number): VenueRow | undefined {
    return this.db
      .prepare('SELECT id, name, address, city, capacity, latitude, longitude FROM venues WHERE id = ?')
      .get(id) as VenueRow | undefined;
  }

  findByIds(ids: number[]): VenueRow[] {
    if (ids.length === 0) return [];
    const placeholders = ids.map(() => '?').join(', ');
    return this.db
      .prepare(`SELECT id, name, address, city, capacity, latitude, longitude FROM venues WHERE id IN (${placeholders})`)
      .all(...ids) as VenueRow[];
  }

  listCities(): string[] {
    return (this.db.prepare('SELECT DISTINCT city FROM venues ORDER BY city').all() as { city: string }[]).map(
      (r) => r.city
    );
  }
}
