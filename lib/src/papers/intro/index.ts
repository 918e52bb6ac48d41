/**
 * The introduction (notebooks 00 and 03): the random rate network and the training engine. README.md in this
 * folder documents both; claims.ts decides their checks.
 */
export * from './config.js';
export * from './chaosStudy.js';
export * from './engineDemo.js';
export * as claims from './claims.js';
export * as exercises from './exercises.js';
