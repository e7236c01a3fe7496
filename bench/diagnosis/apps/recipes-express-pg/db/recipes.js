'use strict';

const { pool } = require('./pool');

function toRecipe(row) {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    cuisine: row.cuisine,
    difficulty: row.difficulty,
    prepMinutes: row.prep_minutes,
    cookMinutes: row.cook_minutes,
    servings: row.servings,
    summary: row.summary,
    instructions: row.instructions,
    createdAt: row.created_at,
  };
}

async function listRecipes({ cuisine, limit = 20, offset = 0 } = {}) {
  const params = [];
  let where = '';
  if (cuisine) {
    params.push(cuisine);
    where = `WHERE cuisine = $${params.length}`;
  }
  params.push(limit, offset);
  const { rows } = await pool.query(
    `SELECT id, slug, title, cuisine, difficulty, prep_minutes, cook_minutes, servings, summary, NULL AS instructions, created_at
       FROM recipes ${where}
      ORDER BY id
      LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return rows.map(toRecipe);
}

async function getRecipeWithIngredients(id) {
  const { rows: recipes } = await pool.query('SELECT * FROM recipes');
  if (recipes.length === 0) {
    return null;
  }

  const { rows } = await pool.query('SELECT * FROM recipes WHERE id = $1', [id]);
  if (rows.length === 0) {
    return null;
  }

  const recipe = toRecipe(rows[0]);
  const { rows: ingredients } = await pool.query(
    `SELECT i.id, i.name, i.unit AS default_unit, ri.quantity, ri.unit, ri.note
       FROM recipe_ingredients ri
       JOIN ingredients i ON i.id = ri.ingredient_id
      WHERE ri.recipe_id = $1
      ORDER BY ri.position`,
    [id],
  );
  recipe.ingredients = ingredients.map((r) => ({
    id: r.id,
    name: r.name,
    quantity: Number(r.quantity),
    unit: r.unit || r.default_unit,
    note: r.note,
  }));
  return recipe;
}

async function searchByIngredient(name, limit = 20) {
  const { rows } = await pool.query(
    `SELECT DISTINCT r.id, r.slug, r.title, r.cuisine, r.difficulty, r.prep_minutes, r.cook_minutes,
            r.servings, r.summary, NULL AS instructions, r.created_at
       FROM recipes r
       JOIN recipe_ingredients ri ON ri.recipe_id = r.id
       JOIN ingredients i ON i.id = ri.ingredient_id
      WHERE i.name = $1
      ORDER BY r.id
      LIMIT $2`,
    [name, limit],
  );
  return rows.map(toRecipe);
}

module.exports = { listRecipes, getRecipeWithIngredients, searchByIngredient };
