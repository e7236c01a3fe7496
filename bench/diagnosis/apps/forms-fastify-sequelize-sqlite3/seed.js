'use strict';

const { sequelize, Form, Submission } = require('./models');

const FIRST = ['Maria', 'John', 'Aisha', 'Kenji', 'Lucas', 'Sofia', 'Priya', 'Tom', 'Elena', 'Omar', 'Chloe', 'Ivan'];
const LAST = ['Gonzalez', 'Smith', 'Khan', 'Tanaka', 'Martin', 'Rossi', 'Patel', 'Novak', 'Weber', 'Haddad'];
const DOMAINS = ['gmail.com', 'outlook.com', 'acme-corp.io', 'example.org', 'fastmail.fm', 'company.co.uk'];
const COMPANIES = ['Acme Corp', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', null];
const SOURCES = ['landing-page', 'newsletter', 'partner', 'webinar', 'ads'];
const MESSAGES = [
  'Interested in the enterprise plan, please get in touch.',
  'Could you send pricing for 50 seats?',
  'We would like a demo next week, mornings work best.',
  'Question about SSO support and data residency in the EU.',
  'Looking for a reseller in our region.',
];
// Entries people actually type into an email box.
const MISTYPED = [
  'mariagonzalezfernandez1987',
  'kenji.tanaka.globex.com',
  'johnsmithaccountspayable',
  'lucas martin',
  'elenaweberumbrellacorpde',
  'chloe.martin@hooli',
  'sofiarossi@',
];

function emailFor(i) {
  const f = FIRST[i % FIRST.length].toLowerCase();
  const l = LAST[(i * 7) % LAST.length].toLowerCase();
  return `${f}.${l}${i % 97}@${DOMAINS[i % DOMAINS.length]}`;
}

async function main() {
  await sequelize.sync();
  const existing = await Submission.count();
  if (existing > 0) {
    console.log(`already seeded (${existing} submissions)`);
    return;
  }
  const forms = [
    { slug: 'contact-sales', title: 'Contact sales', ownerEmail: 'sales@example.com' },
    { slug: 'newsletter', title: 'Newsletter sign-up', ownerEmail: 'marketing@example.com' },
    { slug: 'webinar-2025-q4', title: 'Webinar registration — Q4', ownerEmail: 'events@example.com' },
    { slug: 'beta-waitlist', title: 'Beta waitlist', ownerEmail: 'product@example.com' },
  ];
  const perForm = [4000, 1500, 900, 600];

  await sequelize.transaction(async (transaction) => {
    const created = await Form.bulkCreate(forms, { transaction, returning: true });
    let n = 0;
    for (let f = 0; f < created.length; f++) {
      const rows = [];
      const base = Date.UTC(2025, 8, 1);
      for (let i = 0; i < perForm[f]; i++, n++) {
        const mistyped = i % 571 === 17;
        rows.push({
          formId: created[f].id,
          name: `${FIRST[n % FIRST.length]} ${LAST[(n * 7) % LAST.length]}`,
          email: mistyped ? MISTYPED[(i / 571 | 0) % MISTYPED.length] : emailFor(n),
          company: COMPANIES[n % COMPANIES.length],
          message: MESSAGES[n % MESSAGES.length],
          source: SOURCES[n % SOURCES.length],
          submittedAt: new Date(base + i * 613_000),
        });
      }
      for (let i = 0; i < rows.length; i += 500) {
        await Submission.bulkCreate(rows.slice(i, i + 500), { transaction });
      }
    }
    console.log(`seeded ${created.length} forms, ${n} submissions`);
  });
  await sequelize.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
