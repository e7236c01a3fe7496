'use strict';

const { getCurrentUser } = require('../auth/currentUser');

async function authenticate(req, res, next) {
  const user = await getCurrentUser(req);
  if (!user) {
    return res.status(401).json({ error: 'authentication required' });
  }
  res.locals.userId = user.id;
  next();
}

module.exports = { authenticate };
