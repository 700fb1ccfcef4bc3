export * from './fixtures.ts';
export * from './decode-tile.ts';
