import { openDatabase } from './database';

const VENUES = 500;
const EVENTS = 10_000;
const CITIES = ['Berlin', 'Lisbon', 'Amsterdam', 'Prague', 'Vienna', 'Copenhagen', 'Madrid', 'Dublin'];
const CATEGORIES = ['tech', 'music', 'food', 'outdoors', 'art', 'books', 'games', 'fitness'];

const db = openDatabase();

const existing = db
  .prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('venues', 'events')")
  .get() as { n: number };
if (existing.n === 2 && (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n === EVENTS) {
  console.log('seed: already present');
  db.close();
  process.exit(0);
}

db.exec(`
  DROP TABLE IF EXISTS events;
  DROP TABLE IF EXISTS venues;
  CREATE TABLE venues (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    city TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL
  );
  CREATE INDEX idx_venues_city ON venues (city);
  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    category TEXT NOT NULL,
    venue_id INTEGER NOT NULL REFERENCES venues (id),
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    featured INTEGER NOT NULL DEFAULT 0,
    rsvp_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX idx_events_featured_starts ON events (featured, starts_at);
  CREATE INDEX idx_events_venue_starts ON events (venue_id, starts_at);
  CREATE INDEX idx_events_starts ON events (starts_at);
`);

const insertVenue = db.prepare(
  'INSERT INTO venues (id, name, address, city, capacity, latitude, longitude) VALUES (?, ?, ?, ?, ?, ?, ?)'
);
const insertEvent = db.prepare(
  `INSERT INTO events (id, title, summary, category, venue_id, starts_at, ends_at, price_cents, featured, rsvp_count)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
);

// Events spread from one year ago to two years ahead of the seed date.
const origin = Date.now() - 365 * 86_400_000;
const span = 3 * 365 * 86_400_000;

db.transaction(() => {
  for (let id = 1; id <= VENUES; id++) {
    const city = CITIES[id % CITIES.length];
    insertVenue.run(id, `Hall ${id}`, `${10 + (id % 190)} Market Street`, city, 50 + ((id * 37) % 950),
      48 + (id % 100) / 50, 4 + (id % 300) / 25);
  }
  for (let id = 1; id <= EVENTS; id++) {
    const starts = new Date(origin + Math.floor((id / EVENTS) * span) + (id % 24) * 3_600_000);
    const ends = new Date(starts.getTime() + 3 * 3_600_000);
    const category = CATEGORIES[id % CATEGORIES.length];
    insertEvent.run(id, `${category[0].toUpperCase()}${category.slice(1)} meetup #${id}`,
      `A ${category} evening with talks, demos and time to meet people.`, category,
      1 + ((id * 7919) % VENUES), starts.toISOString(), ends.toISOString(), (id % 4) * 500,
      id % 25 === 0 ? 1 : 0, (id * 13) % 300);
  }
})();

db.exec('ANALYZE');
console.log(`seed: ${VENUES} venues, ${EVENTS} events`);
db.close();
