export interface VenueRow {
  id: number;
  name: string;
  address: string;
  city: string;
  capacity: number;
  latitude: number;
  longitude: number;
}

export interface EventRow {
  id: number;
  title: string;
  summary: string;
  category: string;
  venue_id: number;
  starts_at: string;
  ends_at: string;
  price_cents: number;
  featured: number;
  rsvp_count: number;
}

export interface EventView {
  id: number;
  title: string;
  summary: string;
  category: string;
  startsAt: string;
  endsAt: string;
  priceCents: number;
  rsvpCount: number;
  venue: {
    id: number;
    name: string;
    address: string;
    city: string;
    capacity: number;
    location: { lat: number; lng: number };
  } | null;
}
