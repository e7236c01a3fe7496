import type { EventRow, EventView, VenueRow } from '../models';
import { EventRepository } from '../repositories/EventRepository';
import { VenueRepository } from '../repositories/VenueRepository';

export class EventService {
  static readonly FEATURED_COUNT = 3;

  constructor(
    private readonly events: EventRepository,
    private readonly venues: VenueRepository,
    private readonly clock: () => Date = () => new Date()
  ) {}

  upcomingFeatured(): EventView[] {
    const rows = this.events.findFeaturedUpcoming(this.nowIso(), EventService.FEATURED_COUNT);
    const views: EventView[] = [];
    for (const row of rows) {
      const venue = this.venues.findById(row.venue_id);
      views.push(this.toView(row, venue));
    }
    return views;
  }

  upcomingInCity(city: string, limit: number, offset: number): EventView[] {
    const rows = this.events.findUpcomingByCity(city, this.nowIso(), limit, offset);
    const venues = new Map(this.venues.findByIds([...new Set(rows.map((r) => r.venue_id))]).map((v) => [v.id, v]));
    return rows.map((row) => this.toView(row, venues.get(row.venue_id)));
  }

  getEvent(id: number): EventView | null {
    const row = this.events.findById(id);
    if (!row) return null;
    return this.toView(row, this.venues.findById(row.venue_id));
  }

  rsvp(id: number): boolean {
    return this.events.incrementRsvp(id);
  }

  private nowIso(): string {
    return this.clock().toISOString();
  }

  private toView(row: EventRow, venue: VenueRow | undefined): EventView {
    return {
      id: row.id,
      title: row.title,
      summary: row.summary,
      category: row.category,
      startsAt: row.starts_at,
      endsAt: row.ends_at,
      priceCents: row.price_cents,
      rsvpCount: row.rsvp_count,
      venue: venue
        ? {
            id: venue.id,
            name: venue.name,
            address: venue.address,
            city: venue.city,
            capacity: venue.capacity,
            location: { lat: venue.latitude, lng: venue.longitude },
          }
        : null,
    };
  }
}
