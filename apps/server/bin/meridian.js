#!/usr/bin/env -S node --single-threaded-gc
// Entry point of the `meridian` command. Meridian runs from its TypeScript sources through tsx's loader,
// so there is no build step between a checkout and a running server. Single-threaded GC: see scripts/start.sh.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
