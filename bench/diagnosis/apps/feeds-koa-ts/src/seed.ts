import { db, migrate } from './db.js';

const OUTLETS = [
  ['The Verge', 'www.theverge.com', 'tech'], ['Ars Technica', 'arstechnica.com', 'tech'],
  ['Hacker News', 'news.ycombinator.com', 'tech'], ['TechCrunch', 'techcrunch.com', 'tech'],
  ['BBC News', 'www.bbc.co.uk', 'world'], ['Reuters', 'www.reuters.com', 'world'],
  ['The Guardian', 'www.theguardian.com', 'world'], ['AP News', 'apnews.com', 'world'],
  ['Nature', 'www.nature.com', 'science'], ['Quanta', 'www.quantamagazine.org', 'science'],
  ['ESPN', 'www.espn.com', 'sport'], ['Bloomberg', 'www.bloomberg.com', 'business'],
] as const;
const WORDS = ['market', 'rally', 'chip', 'launch', 'election', 'climate', 'study', 'finds', 'league', 'final',
  'update', 'security', 'flaw', 'court', 'ruling', 'open', 'source', 'model', 'battery', 'space'];

function slug(n: number): string {
  const parts: string[] = [];
  let x = n * 2654435761 >>> 0;
  for (let i = 0; i < 6; i++) { parts.push(WORDS[x % WORDS.length]); x = (x * 1103515245 + 12345) >>> 0; }
  return `${parts.join('-')}-${n}`;
}

migrate();
const existing = (db.prepare('SELECT COUNT(*) AS n FROM items').get() as { n: number }).n;
if (existing > 0) {
  console.log(`already seeded (${existing} items)`);
  process.exit(0);
}

const insertSource = db.prepare('INSERT INTO sources (id, name, feed_url, category) VALUES (?, ?, ?, ?)');
const insertItem = db.prepare(`
  INSERT INTO items (source_id, guid, url, title, summary, author, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)
`);

// 48 feeds: each outlet has several section feeds that often carry the same story.
const SECTIONS = ['top', 'latest', 'featured', 'rss'];
const ITEMS_PER_FEED = 210;
const now = Date.now();
let total = 0;
db.transaction(() => {
  let sourceId = 0;
  OUTLETS.forEach(([name, host, category], o) => {
    SECTIONS.forEach((section, s) => {
      sourceId += 1;
      insertSource.run(sourceId, `${name} — ${section}`, `https://${host}/${section}/feed.xml`, category);
      for (let i = 0; i < ITEMS_PER_FEED; i++) {
        // sections overlap: story numbers shift by section so about a third are shared
        const story = o * 100000 + i + s * 70;
        const url = `https://${host}/2025/${slug(story)}${s % 2 ? '?utm_source=rss' : ''}`;
        const publishedAt = new Date(now - (story % 100000) * 12 * 60 * 1000 - (story % 97) * 1000).toISOString();
        insertItem.run(sourceId, `${host}:${story}`, url, slug(story).replace(/-/g, ' '), `Summary of story ${story}.`,
          `Reporter ${story % 40}`, publishedAt);
        total += 1;
      }
    });
  });
})();
console.log(`seeded ${OUTLETS.length * SECTIONS.length} sources, ${total} items`);
