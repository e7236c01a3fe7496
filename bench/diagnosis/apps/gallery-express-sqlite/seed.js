'use strict';

const crypto = require('node:crypto');
const { getDb, migrate } = require('./db');

const ALBUMS = [
  { owner: 'nadia', title: 'Wedding — Lisbon 2025', photos: 3000 },
  { owner: 'nadia', title: 'Azores hiking', photos: 420 },
  { owner: 'tom', title: 'Studio portraits', photos: 180 },
  { owner: 'tom', title: 'Street — Porto', photos: 260 },
  { owner: 'lea', title: 'Garden through the year', photos: 350 },
  { owner: 'lea', title: 'Cat', photos: 90 },
  { owner: 'omar', title: 'Product shots Q3', photos: 210 },
  { owner: 'omar', title: 'Conference day 1', photos: 300 },
];
const CAMERAS = ['Fujifilm X-T5', 'Sony A7 IV', 'Canon EOS R6', 'Nikon Z6 II', 'iPhone 15 Pro'];
const CAPTIONS = ['Golden hour', 'First dance', 'Family photo', 'Details', 'Candid', 'Landscape', null];
const THUMB_BYTES = 7200; // ~9.6 KB once base64-encoded

function fakeThumbnail(seed) {
  const body = crypto.createHash('sha256').update(String(seed)).digest();
  const buf = Buffer.alloc(THUMB_BYTES);
  for (let i = 0; i < buf.length; i += body.length) body.copy(buf, i);
  buf[0] = 0xff; buf[1] = 0xd8; buf[2] = 0xff; buf[3] = 0xe0;
  // vary bytes so rows are not identical
  for (let i = 4; i < buf.length; i += 7) buf[i] = (buf[i] + seed * 31 + i) & 0xff;
  return buf.toString('base64');
}

function main() {
  const db = getDb();
  migrate(db);
  const existing = db.prepare('SELECT COUNT(*) AS n FROM photos').get().n;
  if (existing > 0) {
    console.log(`already seeded (${existing} photos)`);
    return;
  }

  const insertAlbum = db.prepare(
    'INSERT INTO albums (id, owner, title, description, created_at) VALUES (?, ?, ?, ?, ?)'
  );
  const insertPhoto = db.prepare(`
    INSERT INTO photos (album_id, filename, caption, width, height, camera, iso, taken_at, storage_key, thumbnail_b64)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  `);

  let total = 0;
  db.transaction(() => {
    ALBUMS.forEach((album, idx) => {
      const albumId = idx + 1;
      const created = new Date(Date.UTC(2025, idx, 3)).toISOString();
      insertAlbum.run(albumId, album.owner, album.title, `${album.photos} photos`, created);
      const start = Date.UTC(2025, idx, 3, 9, 0, 0);
      for (let i = 0; i < album.photos; i++) {
        const n = total + i;
        const landscape = n % 3 !== 0;
        insertPhoto.run(
          albumId,
          `IMG_${String(1000 + i).padStart(5, '0')}.JPG`,
          CAPTIONS[n % CAPTIONS.length],
          landscape ? 6000 : 4000,
          landscape ? 4000 : 6000,
          CAMERAS[n % CAMERAS.length],
          [100, 200, 400, 800, 1600][n % 5],
          new Date(start + i * 47_000).toISOString(),
          `${album.owner}/${albumId}/${crypto.randomUUID()}.jpg`,
          fakeThumbnail(n)
        );
      }
      total += album.photos;
    });
  })();
  console.log(`seeded ${ALBUMS.length} albums, ${total} photos`);
}

main();
