'use strict';

const express = require('express');
const controller = require('../controllers/ordersController');

const router = express.Router();

router.get('/', controller.list);
router.get('/:id', controller.show);
router.patch('/:id/status', controller.updateStatus);

module.exports = router;
