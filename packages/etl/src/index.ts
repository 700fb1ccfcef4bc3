// The ETL job types and their task handlers, one folder per kind of data (vector/, raster/, …).
export * from './raster/index.ts';
export * from './vector/index.ts';
