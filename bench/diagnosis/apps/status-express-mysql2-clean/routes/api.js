'use strict';

const express = require('express');
const { getDashboard } = require('../services/dashboardService');
const services = require('../repositories/serviceRepository');
const incidents = require('../repositories/incidentRepository');

const router = express.Router();

router.get('/dashboard', async (req, res) => {
  res.set('cache-control', 'no-store');
  res.json(await getDashboard());
});

router.get('/services', async (req, res) => {
  res.json({ services: await services.listServices() });
});

router.get('/incidents', async (req, res) => {
  const limit = Math.min(Number.parseInt(req.query.limit, 10) || 20, 100);
  res.json({ incidents: await incidents.recentIncidents(limit) });
});

module.exports = router;
