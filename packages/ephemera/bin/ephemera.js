#!/usr/bin/env node
// Thin binary: the compiled CLI does the work.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
