/** Public surface of the feeder and protection engine (DOMAIN.md §2, §4). */
export * from './types.js';
export * from './voltage-drop.js';
export * from './cable-sizing.js';
export * from './protection.js';
export * from './rules.js';
export * from './check-feeder.js';
