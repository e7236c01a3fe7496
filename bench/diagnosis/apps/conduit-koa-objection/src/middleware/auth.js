'use strict';

const { User } = require('../models');

// Resolves the viewer from "Authorization: Token <username>". Local and staging
// deployments fall back to the demo account so the feed renders like production.
function currentUser({ demoUsername = process.env.DEMO_USERNAME || 'jake' } = {}) {
  return async function authenticate(ctx, next) {
    const header = ctx.get('authorization');
    const match = /^Token\s+(\S+)$/i.exec(header);
    const username = match ? match[1] : demoUsername;
    if (username) {
      ctx.state.user = (await User.query().findOne({ username })) || null;
    }
    await next();
  };
}

module.exports = { currentUser };
