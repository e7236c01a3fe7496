'use strict';

const express = require('express');
const recipes = require('../db/recipes');

const router = express.Router();

router.get('/', async (req, res) => {
  const limit = Math.min(Number(req.query.limit) || 20, 100);
  const offset = Math.max(Number(req.query.offset) || 0, 0);
  const items = await recipes.listRecipes({ cuisine: req.query.cuisine, limit, offset });
  res.json({ items, limit, offset });
});

router.get('/search', async (req, res) => {
  if (!req.query.ingredient) {
    return res.status(400).json({ error: 'ingredient is required' });
  }
  const items = await recipes.searchByIngredient(String(req.query.ingredient));
  res.json({ items });
});

router.get('/:id', async (req, res) => {
  const id = Number(req.params.id);
  if (!Number.isInteger(id) || id <= 0) {
    return res.status(400).json({ error: 'invalid recipe id' });
  }
  const recipe = await recipes.getRecipeWithIngredients(id);
  if (!recipe) {
    return res.status(404).json({ error: 'recipe not found' });
  }
  res.json(recipe);
});

module.exports = router;
