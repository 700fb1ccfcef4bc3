import { assertDriverInstalled } from '/work/main/packages/etl/src/vector/formats.ts';
const s = new AbortController().signal;
await assertDriverInstalled('shapefile', s); await assertDriverInstalled('kml', s); await assertDriverInstalled('gpkg', s);
await assertDriverInstalled('parquet', s).catch((e) => console.log(e.code, e.message));
