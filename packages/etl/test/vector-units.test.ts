import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sanitizeColumnNames } from '../src/vector/column-names.ts';
import { asUtcTimestamp, pgColumnType } from '../src/vector/column-types.ts';
import { copyRecords, copyStatementColumns, decodeCopyField, splitCopyRecord } from '../src/vector/copy-text.ts';
import { readWkbHeader } from '../src/vector/ewkb.ts';
import { formatOf } from '../src/vector/formats.ts';
import { parseOgrinfo } from '../src/vector/ogr-info.ts';
import { processVectorParameters, stacItemIdFor, targetTableName, type ProcessVectorParameters } from '../src/vector/parameters.ts';
import { objectName } from '../src/vector/table-build.ts';
import { Value } from 'typebox/value';

async function* chunks(...parts: string[]): AsyncGenerator<string> {
  yield* parts;
}

async function records(parts: string[], max = 1000): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of copyRecords(chunks(...parts), max)) out.push(...batch);
  return out;
}

describe('column names', () => {
  it('makes lower-case [a-z0-9_] names, no reserved words, unique, at most 63 characters', () => {
    const names = sanitizeColumnNames(['名前', 'Prénom', 'Größe (m²)', 'order', 'select', 'Name', 'name', '1st', 'ogc_fid', 'geom', 'etl_batch_id', 'a-b c', 'x'.repeat(80), 'x'.repeat(81), 'ctid']);
    assert.deepEqual(names.slice(0, 12), ['column_1', 'prenom', 'grosse_m2', 'order_', 'select_', 'name', 'name_2', 't_1st', 'ogc_fid_', 'geom_', 'etl_batch_id_', 'a_b_c']);
    assert.equal(names[12], 'x'.repeat(63));
    assert.equal(names[13], `${'x'.repeat(61)}_2`);
    assert.equal(names[14], 'ctid_');
    for (const name of names) assert.match(name, /^[a-z_][a-z0-9_]{0,62}$/);
    assert.equal(new Set(names).size, names.length);
  });
});

describe('column types', () => {
  it('maps OGR field types to PostgreSQL types faithfully', () => {
    const cases: [string, string | null, string][] = [
      ['Integer', null, 'integer'], ['Integer', 'Boolean', 'boolean'], ['Integer', 'Int16', 'smallint'], ['Integer64', null, 'bigint'],
      ['Real', null, 'double precision'], ['Real', 'Float32', 'real'], ['String', null, 'text'], ['String', 'JSON', 'jsonb'],
      ['Date', null, 'date'], ['DateTime', null, 'timestamp with time zone'], ['Time', null, 'text'], ['Binary', null, 'bytea'],
      ['IntegerList', null, 'integer[]'], ['Integer64List', null, 'bigint[]'], ['RealList', null, 'double precision[]'],
      ['StringList', null, 'text[]'], ['IntegerList', 'Boolean', 'boolean[]'], ['SomethingNew', null, 'text'],
    ];
    for (const [type, subtype, pg] of cases) assert.equal(pgColumnType({ name: 'x', type, subtype }), pg, `${type}(${subtype})`);
  });

  it('reads a date-time without an offset as UTC', () => {
    assert.equal(asUtcTimestamp('2020/01/01 10:00:00'), '2020/01/01 10:00:00+00');
    assert.equal(asUtcTimestamp('2020/01/01 10:00:00+02'), '2020/01/01 10:00:00+02');
    assert.equal(asUtcTimestamp('2020/01/01 10:00:00.5+0530'), '2020/01/01 10:00:00.5+0530');
  });
});

describe('COPY text', () => {
  it('splits records at unescaped newlines, across chunk boundaries', async () => {
    assert.deepEqual(await records(['a\tb\n', 'c\\\nd\te\n', 'f\\', '\ng\n', 'h\\\\', '\ni\n', 'last']), ['a\tb', 'c\\\nd\te', 'f\\\ng', 'h\\\\', 'i', 'last']);
    assert.deepEqual(await records(['x\\\\\\', '\ny\n']), ['x\\\\\\\ny']);
  });

  it('refuses a record longer than the limit (FEATURE_TOO_LARGE)', async () => {
    await assert.rejects(records(['0'.repeat(600), '0'.repeat(600), '\n'], 1000), (e: Error & { code?: string }) => e.code === 'FEATURE_TOO_LARGE');
  });

  it('decodes fields: NULL, escapes, escaped tabs inside a value', () => {
    assert.deepEqual(splitCopyRecord('a\tb'), ['a', 'b']);
    assert.deepEqual(splitCopyRecord('\\N\tx\\\ty\t\\\\N\tq\\\nr\t{"a","b\\\\"c"}'), [null, 'x\ty', '\\N', 'q\nr', '{"a","b\\"c"}']);
    assert.equal(decodeCopyField('\\t\\n\\r\\\\\\101\\x41'), '\t\n\r\\AA');
  });

  it('reads the column names of the COPY statement', () => {
    assert.deepEqual(copyStatementColumns('COPY "public"."load" ("Meridian Geometry", "名前", "a""b", "x, y") FROM STDIN;'), ['Meridian Geometry', '名前', 'a"b', 'x, y']);
  });
});

describe('EWKB headers', () => {
  it('reads the type and emptiness of hex EWKB and ISO WKB', () => {
    assert.deepEqual(readWkbHeader('0101000020E6100000000000000000F03F0000000000000040'), { type: 1, empty: false });
    assert.deepEqual(readWkbHeader('0101000020E6100000000000000000F87F000000000000F87F'), { type: 1, empty: true });
    assert.deepEqual(readWkbHeader('0106000020E610000000000000'), { type: 6, empty: true });
    assert.deepEqual(readWkbHeader('0106000020E610000001000000'), { type: 6, empty: false });
    assert.deepEqual(readWkbHeader('00000000033FF0000000000000'), { type: 3, empty: false });
    assert.deepEqual(readWkbHeader('01E9030000000000000000F03F0000000000000040'), { type: 1, empty: false });
  });
});

describe('ogrinfo summaries', () => {
  it('reads layers, geometry types, counts, extents, CRS and fields', () => {
    const dataset = parseOgrinfo(`INFO: Open of \`x.gpkg'
      using driver \`GPKG' successful.

Layer name: first: odd
Geometry: Multi Polygon
Feature Count: 3
Extent: (-1.500000, 2.000000) - (3.000000, 4.250000)
Layer SRS WKT:
PROJCRS["WGS 84 / UTM zone 33N",
    BASEGEOGCRS["WGS 84",
        ID["EPSG",4326]],
    ID["EPSG",32633]]
Data axis to CRS axis mapping: 1,2
FID Column = fid
Geometry Column = geom
Geometry: String (0.0)
名前: String(JSON) (0.0)
a: b: Integer64 (10.0) NOT NULL

Layer name: second
Geometry: None
Feature Count: 0
Layer SRS WKT:
(unknown)
x: Date (0.0)
`);
    assert.equal(dataset.driver, 'GPKG');
    assert.equal(dataset.layers.length, 2);
    const [first, second] = dataset.layers;
    assert.equal(first!.name, 'first: odd');
    assert.equal(first!.geometryType, 'Multi Polygon');
    assert.equal(first!.featureCount, 3);
    assert.deepEqual(first!.extent, [-1.5, 2, 3, 4.25]);
    assert.equal(first!.crs!.epsg, 32633);
    assert.equal(first!.crs!.label, 'EPSG:32633');
    assert.equal(first!.crs!.geographic, false);
    assert.deepEqual(first!.fields, [
      { name: 'Geometry', type: 'String', subtype: null },
      { name: '名前', type: 'String', subtype: 'JSON' },
      { name: 'a: b', type: 'Integer64', subtype: null },
    ]);
    assert.equal(second!.geometryType, 'None');
    assert.equal(second!.crs, null);
    assert.deepEqual(second!.fields, [{ name: 'x', type: 'Date', subtype: null }]);
  });
});

describe('names and formats', () => {
  const parameters = (extra: Record<string, unknown>) => Value.Default(processVectorParameters, { container_name: 'bronze-x', blob_name: 'a/b/Roads 2024.geojson', ...extra }) as ProcessVectorParameters;

  it('derives the table name by the one slug rule', () => {
    assert.equal(targetTableName(parameters({})), 'roads_2024');
    assert.equal(targetTableName(parameters({ table_name: '0085581_DR0104298_1' })), 't_0085581_dr0104298_1');
    assert.throws(() => targetTableName(parameters({ table_name: '名前' })), (e: Error & { code?: string }) => e.code === 'JOB_PARAMETERS_INVALID');
  });

  it('names STAC items by the platform contract when the platform ids are given', () => {
    assert.equal(stacItemIdFor(parameters({ dataset_id: '0085581', resource_id: 'DR0104298', version_id: 'v1.0' }), 't_0085581_dr0104298_v10', null), '0085581-dr0104298-v10');
    assert.equal(stacItemIdFor(parameters({}), 'roads_2024', null), 'roads-2024');
    assert.equal(stacItemIdFor(parameters({}), 'roads_2024', 'polygon'), 'roads-2024-polygon');
  });

  it('recognises formats by extension and refuses others', () => {
    assert.equal(formatOf('x/y.GeoJSON'), 'geojson');
    assert.equal(formatOf('y.geojsonl'), 'geojsonseq');
    assert.equal(formatOf('y.shp'), 'shapefile');
    assert.equal(formatOf('y.fgb'), 'flatgeobuf');
    assert.throws(() => formatOf('y.txt'), (e: Error & { code?: string }) => e.code === 'UNSUPPORTED_FILE_FORMAT');
    assert.throws(() => formatOf('noextension'), (e: Error & { code?: string }) => e.code === 'UNSUPPORTED_FILE_FORMAT');
  });

  it('keeps generated object names within 63 characters and distinct', () => {
    assert.equal(objectName('roads', 'geom', 'idx'), 'roads_geom_idx');
    const a = objectName('x'.repeat(60), 'aaaa', 'idx');
    const b = objectName('x'.repeat(60), 'aaab', 'idx');
    assert.equal(a.length, 63);
    assert.notEqual(a, b);
  });
});
