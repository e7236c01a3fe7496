'use strict';

const { Client } = require('pg');
const { config } = require('./db/pool');

const RECIPE_COUNT = 40000;
const INGREDIENTS = [
  ['flour', 'g'], ['sugar', 'g'], ['butter', 'g'], ['egg', 'pc'], ['milk', 'ml'], ['salt', 'tsp'],
  ['black pepper', 'tsp'], ['olive oil', 'tbsp'], ['garlic', 'clove'], ['onion', 'pc'], ['tomato', 'pc'],
  ['basil', 'leaf'], ['parmesan', 'g'], ['chicken breast', 'g'], ['beef mince', 'g'], ['rice', 'g'],
  ['pasta', 'g'], ['carrot', 'pc'], ['celery', 'stalk'], ['potato', 'pc'], ['lemon', 'pc'], ['cumin', 'tsp'],
  ['paprika', 'tsp'], ['coriander', 'tsp'], ['ginger', 'g'], ['soy sauce', 'tbsp'], ['honey', 'tbsp'],
  ['yogurt', 'g'], ['cream', 'ml'], ['mushroom', 'g'], ['spinach', 'g'], ['chickpeas', 'g'], ['lentils', 'g'],
  ['coconut milk', 'ml'], ['chili', 'pc'], ['cinnamon', 'tsp'], ['vanilla', 'tsp'], ['baking powder', 'tsp'],
  ['white wine', 'ml'], ['stock', 'ml'],
];

async function ensureDatabase() {
  const admin = new Client({ ...config, database: 'test' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [config.database]);
    if (rowCount === 0) {
      await admin.query(`CREATE DATABASE ${config.database}`);
    }
  } finally {
    await admin.end();
  }
}

async function main() {
  await ensureDatabase();
  const client = new Client(config);
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE IF NOT EXISTS recipes (
        id            serial PRIMARY KEY,
        slug          text NOT NULL UNIQUE,
        title         text NOT NULL,
        cuisine       text NOT NULL,
        difficulty    text NOT NULL,
        prep_minutes  integer NOT NULL,
        cook_minutes  integer NOT NULL,
        servings      integer NOT NULL,
        summary       text NOT NULL,
        instructions  text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX IF NOT EXISTS recipes_cuisine_idx ON recipes (cuisine);
      CREATE TABLE IF NOT EXISTS ingredients (
        id    serial PRIMARY KEY,
        name  text NOT NULL UNIQUE,
        unit  text NOT NULL
      );
      CREATE TABLE IF NOT EXISTS recipe_ingredients (
        recipe_id      integer NOT NULL,
        ingredient_id  integer NOT NULL,
        position       integer NOT NULL,
        quantity       numeric(8,2) NOT NULL,
        unit           text,
        note           text,
        PRIMARY KEY (recipe_id, position)
      );
      CREATE INDEX IF NOT EXISTS recipe_ingredients_ingredient_idx ON recipe_ingredients (ingredient_id);
    `);

    const { rows } = await client.query('SELECT count(*)::int AS n FROM recipes');
    if (rows[0].n >= RECIPE_COUNT) {
      console.log(`recipes already seeded (${rows[0].n})`);
      return;
    }

    await client.query('BEGIN');
    await client.query('TRUNCATE recipe_ingredients, recipes, ingredients RESTART IDENTITY');
    const names = INGREDIENTS.map((i) => i[0]);
    const units = INGREDIENTS.map((i) => i[1]);
    await client.query(
      'INSERT INTO ingredients (name, unit) SELECT * FROM unnest($1::text[], $2::text[])',
      [names, units],
    );
    await client.query(
      `INSERT INTO recipes (slug, title, cuisine, difficulty, prep_minutes, cook_minutes, servings, summary, instructions, created_at)
       SELECT 'recipe-' || g,
              (ARRAY['Roasted','Braised','Crispy','Spicy','Creamy','Grilled','Smoky','Zesty'])[1 + g % 8] || ' ' ||
              (ARRAY['chicken','lentil','mushroom','salmon','tofu','beef','vegetable','chickpea','pork','prawn'])[1 + (g / 8) % 10] || ' ' ||
              (ARRAY['stew','curry','bake','salad','soup','risotto','tacos','noodles'])[1 + (g / 80) % 8] || ' #' || g,
              (ARRAY['italian','indian','mexican','thai','french','japanese','greek','moroccan'])[1 + g % 8],
              (ARRAY['easy','medium','hard'])[1 + g % 3],
              5 + g % 40, 10 + g % 90, 1 + g % 8,
              'A home-style dish that comes together on a weeknight. ' || repeat('Bright, balanced and generous. ', 6),
              repeat('Prepare the ingredients, heat the pan, cook gently and stir often until everything is tender and well seasoned. ', 12),
              now() - (g || ' minutes')::interval
         FROM generate_series(1, $1::int) AS g`,
      [RECIPE_COUNT],
    );
    await client.query(
      `INSERT INTO recipe_ingredients (recipe_id, ingredient_id, position, quantity, unit, note)
       SELECT r.id,
              1 + (r.id * 7 + p * 13) % $1::int,
              p,
              round((1 + (r.id + p) % 20) * 12.5, 2),
              NULL,
              CASE WHEN p = 1 THEN 'finely chopped' ELSE NULL END
         FROM recipes r
         CROSS JOIN generate_series(1, 8) AS p`,
      [INGREDIENTS.length],
    );
    await client.query(`
      ALTER TABLE recipe_ingredients DROP CONSTRAINT IF EXISTS recipe_ingredients_recipe_fk;
      ALTER TABLE recipe_ingredients DROP CONSTRAINT IF EXISTS recipe_ingredients_ingredient_fk;
      ALTER TABLE recipe_ingredients
        ADD CONSTRAINT recipe_ingredients_recipe_fk FOREIGN KEY (recipe_id) REFERENCES recipes(id) ON DELETE CASCADE,
        ADD CONSTRAINT recipe_ingredients_ingredient_fk FOREIGN KEY (ingredient_id) REFERENCES ingredients(id);
    `);
    await client.query('COMMIT');
    await client.query('ANALYZE recipes, ingredients, recipe_ingredients');
    console.log(`seeded ${RECIPE_COUNT} recipes`);
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
