/** intro: see README.md in this folder. */
export * from './chaosStudy.js';
export * from './engineDemo.js';
