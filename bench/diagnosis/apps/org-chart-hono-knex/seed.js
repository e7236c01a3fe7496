import { knex, migrate } from './src/db.js';

const HEADCOUNT = Number(process.env.SEED_HEADCOUNT ?? 8000);
const FIRST = ['Ana', 'Ben', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kofi', 'Lena', 'Mo', 'Nia'];
const LAST = ['Alvarez', 'Brooks', 'Cohen', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Huang', 'Ito', 'Jensen'];
const DEPARTMENTS = ['Engineering', 'Sales', 'Marketing', 'Finance', 'People', 'Support', 'Operations', 'Legal'];
const TITLES = ['Chief Executive Officer', 'Vice President', 'Director', 'Senior Manager', 'Manager', 'Team Lead', 'Specialist'];

await migrate();
const [{ n }] = await knex('employees').count({ n: '*' });
if (n > 0) {
  console.log(`already seeded (${n} employees)`);
  await knex.destroy();
  process.exit(0);
}

await knex.transaction(async (trx) => {
  await trx('departments').insert(DEPARTMENTS.map((name, i) => ({ id: i + 1, name, cost_center: `CC-${100 + i}` })));
  // Breadth-first hierarchy: a CEO, then each manager gets 3-9 reports.
  const rows = [];
  const levelOf = new Map();
  let nextManager = 1;
  let remainingForManager = 0;
  for (let id = 1; id <= HEADCOUNT; id++) {
    let managerId = null;
    if (id > 1) {
      if (remainingForManager === 0) {
        remainingForManager = id === 2 ? 8 : 3 + ((nextManager * 7) % 7);
      }
      managerId = nextManager;
      remainingForManager -= 1;
      if (remainingForManager === 0) nextManager += 1;
    }
    const level = managerId === null ? 0 : levelOf.get(managerId) + 1;
    levelOf.set(id, level);
    const first = FIRST[id % FIRST.length];
    const last = LAST[(id * 3) % LAST.length];
    rows.push({
      id,
      full_name: `${first} ${last}`,
      title: TITLES[Math.min(level, TITLES.length - 1)],
      email: `${first}.${last}.${id}@corp.example`.toLowerCase(),
      department_id: 1 + (id % DEPARTMENTS.length),
      manager_id: managerId,
      hired_on: new Date(Date.UTC(2012, 0, 1) + id * 86400000 * 0.9).toISOString().slice(0, 10),
    });
  }
  for (let i = 0; i < rows.length; i += 500) {
    await trx('employees').insert(rows.slice(i, i + 500));
  }
});
console.log(`seeded ${DEPARTMENTS.length} departments, ${HEADCOUNT} employees`);
await knex.destroy();
