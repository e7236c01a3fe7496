import { MikroORM } from '@mikro-orm/postgresql';
import { createHash } from 'crypto';
import config from './db/config';
import { User, UserSchema } from './entities/user';

const USER_COUNT = 30000;
const BATCH_SIZE = 5000;

const firstNames = ['ana', 'ben', 'carla', 'dmitri', 'elif', 'farid', 'greta', 'hugo', 'ines', 'jonas', 'kemal', 'lena'];
const lastNames = ['moreau', 'schmidt', 'rossi', 'novak', 'silva', 'berg', 'kowalski', 'dubois', 'jensen', 'costa'];
const countries = ['FR', 'DE', 'IT', 'PL', 'PT', 'SE', 'NL', 'ES', 'DK', 'BE'];
const plans: User['plan'][] = ['free', 'free', 'free', 'pro', 'team'];
const statuses: User['status'][] = ['active', 'active', 'active', 'pending', 'suspended'];

function buildUser(n: number): Omit<User, 'id'> {
  const first = firstNames[n % firstNames.length];
  const last = lastNames[Math.floor(n / firstNames.length) % lastNames.length];
  return {
    email: `${first}.${last}${n}@example.org`,
    fullName: `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}`,
    passwordHash: createHash('sha256').update(`seed-password-${n}`).digest('hex'),
    status: statuses[n % statuses.length],
    plan: plans[n % plans.length],
    country: countries[n % countries.length],
    createdAt: new Date(Date.UTC(2021, 0, 1) + n * 60_000),
    lastLoginAt: n % 3 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + n * 30_000),
  };
}

async function main() {
  const orm = await MikroORM.init({ ...config, connect: false });
  try {
    await orm.schema.ensureDatabase();
    await orm.connect();
    await orm.schema.updateSchema();

    const em = orm.em.fork();
    const existing = await em.count(UserSchema, {});
    if (existing >= USER_COUNT) {
      console.log(`users already seeded (${existing})`);
      return;
    }
    await em.getConnection().execute('TRUNCATE users RESTART IDENTITY');
    for (let start = 1; start <= USER_COUNT; start += BATCH_SIZE) {
      const rows: Omit<User, 'id'>[] = [];
      for (let n = start; n < start + BATCH_SIZE && n <= USER_COUNT; n++) {
        rows.push(buildUser(n));
      }
      await em.insertMany(UserSchema, rows);
    }
    await em.getConnection().execute('ANALYZE users');
    console.log(`seeded ${USER_COUNT} users`);
  } finally {
    await orm.close(true);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
