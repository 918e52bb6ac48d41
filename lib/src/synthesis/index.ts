/**
 * Across the studies (notebook 12): one interference measure applied to the collection's three learning regimes.
 * README.md in this folder documents it; claims.ts decides its claims (lab.synthesis.claims.X1(...), ...).
 */
export * from './interference.js';
export * from './study.js';
export * as claims from './claims.js';
export * as exercises from './exercises.js';
