'use strict';

const { getCurrentUser } = require('../auth/currentUser');

const ROLE_PERMISSIONS = {
  admin: ['contacts:read', 'contacts:write', 'contacts:delete', 'reports:read'],
  manager: ['contacts:read', 'contacts:write', 'reports:read'],
  rep: ['contacts:read', 'contacts:write'],
  viewer: ['contacts:read'],
};

function requirePermission(permission) {
  return async function checkPermission(req, res, next) {
    const user = await getCurrentUser(req);
    const granted = user ? ROLE_PERMISSIONS[user.role] || [] : [];
    if (!granted.includes(permission)) {
      return res.status(403).json({ error: `missing permission ${permission}` });
    }
    next();
  };
}

module.exports = { requirePermission };
