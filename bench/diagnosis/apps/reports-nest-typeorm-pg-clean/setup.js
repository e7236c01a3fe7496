'use strict';

// Compiles the TypeScript sources to dist/ and seeds the database.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

function run(args) {
  const result = spawnSync(process.execPath, args, { cwd: __dirname, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status || 1);
}

run([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']);
run([path.join('dist', 'seed.js')]);
