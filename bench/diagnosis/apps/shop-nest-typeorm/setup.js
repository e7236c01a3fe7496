'use strict';

// Compiles the TypeScript sources (NestJS needs decorator metadata from tsc) and seeds the database.
const { execFileSync } = require('child_process');
const path = require('path');

const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', path.join(__dirname, 'tsconfig.json')], { stdio: 'inherit' });
execFileSync(process.execPath, [path.join(__dirname, 'dist', 'seed.js')], { stdio: 'inherit', cwd: __dirname });
