'use strict';

const express = require('express');
const { pool } = require('../db/pool');

const router = express.Router();

router.get('/', async (_req, res) => {
  await pool.query('SELECT 1');
  res.json({ status: 'ok' });
});

module.exports = router;
