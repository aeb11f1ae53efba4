#!/usr/bin/env -S node --import tsx
// Runs dial from the TypeScript sources (no build): bin/dev.js cluster status
import {execute} from '@oclif/core';

await execute({development: true, dir: import.meta.url});
