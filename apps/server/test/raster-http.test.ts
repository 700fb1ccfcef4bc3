/**
 * The raster API end to end: STAC item → COG asset → BlobStore ranged reads, values checked against GDAL
 * on the same file, formats, caching headers, TiTiler's error conventions, and registered-search mosaics.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { createCollection, insertItems, storageHref } from '@meridian/stac';
import { transformer } from '@meridian/tiles';
import { CONTAINER, createRasterTestApp, itemPath, type RasterTestApp } from './raster-support.ts';

const run = promisify(execFile);
let t: RasterTestApp;

before(async () => { t = await createRasterTestApp(); });
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object });

/** Parses an .npy body: shape and float values. */
function npy(body: Buffer): { shape: number[]; values: Float32Array | Float64Array } {
  const headerLength = body.readUInt16LE(8);
  const header = body.subarray(10, 10 + headerLength).toString('latin1');
  const shape = /'shape': \(([^)]*)\)/.exec(header)![1]!.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const data = body.buffer.slice(body.byteOffset + 10 + headerLength, body.byteOffset + body.byteLength);
  return { shape, values: header.includes('<f8') ? new Float64Array(data) : new Float32Array(data) };
}

function mercatorTile(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

function crs84Tile(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const span = 180 / 2 ** z;
  return { z, x: Math.floor((lon + 180) / span), y: Math.floor((90 - lat) / span) };
}

const DEM_CENTRE = transformer('EPSG:32633', 'EPSG:4326')(410500, 5091000);

/** The z13 WebMercatorQuad tile over the middle of the DEM. */
function demTile(): { z: number; x: number; y: number } {
  return mercatorTile(DEM_CENTRE[0], DEM_CENTRE[1], 13);
}

describe('raster reference documents', () => {
  it('lists tile matrix sets and colour maps', async () => {
    const sets = (await get('/api/raster/tileMatrixSets')).json() as { tileMatrixSets: Array<{ id: string }> };
    assert.deepEqual(sets.tileMatrixSets.map((s) => s.id), ['WebMercatorQuad', 'WorldCRS84Quad']);
    const crs84 = (await get('/api/raster/tileMatrixSets/WorldCRS84Quad')).json() as { crs: string; tileMatrices: unknown[] };
    assert.match(crs84.crs, /CRS84/);
    assert.equal((await get('/api/raster/tileMatrixSets/Nope')).statusCode, 404);
    assert.ok(((await get('/api/raster/colorMaps')).json() as { colorMaps: string[] }).colorMaps.includes('viridis'));
    assert.deepEqual(((await get('/api/raster/colorMaps/terrain')).json() as Record<string, number[]>)['0'], [51, 51, 153, 255]);
    const unknown = await get('/api/raster/colorMaps/nope');
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().code, 'RASTER_COLORMAP_UNKNOWN');
  });

  it('serves MapLibre from this server for the map page', async () => {
    const page = await get(`${itemPath('dem')}/map?rescale=200,800&colormap_name=terrain`);
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.match(page.body, /\/api\/raster\/static\/maplibre-gl\.mjs/);
    assert.doesNotMatch(page.body, /unpkg|jsdelivr|cdn/i);
    const script = await get('/api/raster/static/maplibre-gl.mjs');
    assert.equal(script.statusCode, 200);
    assert.equal((await get('/api/raster/static/maplibre-gl.css')).statusCode, 200);
  });
});

describe('raster item endpoints', () => {
  it('info and tilejson describe the COG', async () => {
    const info = (await get(`${itemPath('dem')}/info`)).json() as { dtype: string; count: number; nodata_value: number; overviews: number[]; bounds: number[] };
    assert.equal(info.dtype, 'float32');
    assert.equal(info.count, 1);
    assert.equal(info.nodata_value, -9999);
    assert.deepEqual(info.overviews, [2, 4]);
    const tilejson = (await get(`${itemPath('dem')}/WebMercatorQuad/tilejson.json?rescale=200,800&tile_format=png`)).json() as { tiles: string[]; bounds: number[]; maxzoom: number };
    assert.match(tilejson.tiles[0]!, /\/tiles\/WebMercatorQuad\/\{z\}\/\{x\}\/\{y\}\.png\?rescale=200%2C800$/);
    assert.deepEqual(tilejson.bounds, info.bounds);
    assert.equal(tilejson.maxzoom, 12);
  });

  it('point equals gdallocationinfo and is null on nodata', async () => {
    const toLonLat = transformer('EPSG:32633', 'EPSG:4326');
    for (const [column, row] of [[100, 100], [650, 20], [10, 599]] as const) {
      const [lon, lat] = toLonLat(400000 + (column + 0.5) * 30, 5100000 - (row + 0.5) * 30);
      const body = (await get(`${itemPath('dem')}/point/${lon},${lat}`)).json() as { values: Array<number | null>; band_names: string[] };
      const { stdout } = await run('gdallocationinfo', ['-valonly', '-wgs84', t.fixtures.dem.path, String(lon), String(lat)]);
      const expected = Number(stdout.trim());
      if (expected === -9999) assert.equal(body.values[0], null);
      else assert.ok(Math.abs(body.values[0]! - expected) < 1e-3, `${body.values[0]} vs ${expected}`);
      assert.deepEqual(body.band_names, ['b1']);
    }
    const outside = await get(`${itemPath('dem')}/point/0,0`);
    assert.equal(outside.statusCode, 404);
    assert.equal(outside.json().code, 'RASTER_TILE_OUTSIDE_BOUNDS');
    const ndvi = (await get(`${itemPath('rgbDeflate')}/point/36.71,-1.21?expression=(b1-b2)/(b1%2Bb2)`)).json() as { values: number[]; band_names: string[] };
    assert.equal(ndvi.band_names[0], '(b1-b2)/(b1+b2)');
    assert.ok(ndvi.values[0]! >= -1 && ndvi.values[0]! <= 1);
  });

  it('bbox .npy equals gdal_translate -projwin on the same grid', async () => {
    const [minx, miny, maxx, maxy] = [403000, 5085000, 409000, 5098500];
    const response = await get(`${itemPath('dem')}/bbox/${minx},${miny},${maxx},${maxy}.npy?coord_crs=EPSG:32633`);
    assert.equal(response.statusCode, 200);
    const { shape, values } = npy(response.rawPayload);
    assert.deepEqual(shape, [2, 450, 200]);
    const path = `${t.fixtures.dir}/bbox-http.raw`;
    await run('gdal_translate', ['-q', '-of', 'ENVI', '-ot', 'Float32', '-projwin', String(minx), String(maxy), String(maxx), String(miny), t.fixtures.dem.path, path]);
    const expected = new Float32Array((await import('node:fs/promises').then((fs) => fs.readFile(path))).buffer.slice(0));
    const plane = 450 * 200;
    for (let i = 0; i < plane; i++) {
      if (expected[i] === -9999) assert.equal(values[plane + i], 0, 'masked where GDAL has nodata');
      else assert.equal(values[i], expected[i]);
    }
  });

  it('statistics equal gdalinfo -stats; POSTed features get zonal statistics', async () => {
    const stats = (await get(`${itemPath('dem')}/statistics?p=50&histogram_bins=5`)).json() as { b1: Record<string, number | number[][]> };
    const { stdout } = await run('gdalinfo', ['-json', '-stats', t.fixtures.dem.path]);
    const band = (JSON.parse(stdout) as { bands: Array<{ minimum: number; maximum: number; mean: number; stdDev: number }> }).bands[0]!;
    assert.ok(Math.abs((stats.b1.mean as number) - band.mean) < 1e-3);
    assert.ok(Math.abs((stats.b1.std as number) - band.stdDev) < 1e-3);
    assert.ok(Math.abs((stats.b1.min as number) - band.minimum) < 1e-3);
    assert.equal(stats.b1.masked_pixels, 700);
    assert.equal((stats.b1.histogram as number[][])[0]!.length, 5);
    assert.equal(stats.b1.percentile_50, stats.b1.median);

    const toLonLat = transformer('EPSG:32633', 'EPSG:4326');
    // A 10 x 10 pixel square on pixel edges, in lon/lat: exactly 100 pixel centres fall inside.
    const corners = [[403000, 5097000], [403300, 5097000], [403300, 5097300], [403000, 5097300], [403000, 5097000]].map(([x, y]) => toLonLat(x!, y!));
    const zonal = await post(`${itemPath('dem')}/statistics`, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'square' }, geometry: { type: 'Polygon', coordinates: [corners] } }] });
    assert.equal(zonal.statusCode, 200);
    const feature = (zonal.json() as { features: Array<{ properties: { name: string; statistics: { b1: { count: number } } } }> }).features[0]!;
    assert.equal(feature.properties.name, 'square');
    assert.ok(Math.abs(feature.properties.statistics.b1.count - 100) <= 4, `count ${feature.properties.statistics.b1.count}`);
  });

  it('tiles: formats, scale, colormaps, ETag / 304 and Cache-Control', async () => {
    const { z, x, y } = demTile();
    const url = `${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?rescale=200,800&colormap_name=terrain`;
    const tile = await get(url);
    assert.equal(tile.statusCode, 200);
    assert.equal(tile.headers['content-type'], 'image/png');
    assert.match(tile.headers['cache-control'] as string, /^public, max-age=\d+/);
    const meta = await sharp(tile.rawPayload).metadata();
    assert.deepEqual([meta.width, meta.height, meta.channels], [256, 256, 3], 'a tile without masked pixels needs no alpha');
    const masked = await get(`${itemPath('dem')}/preview.png?rescale=200,800`);
    assert.equal((await sharp(masked.rawPayload).metadata()).channels, 2, 'grey + alpha where the nodata row is');
    const etag = tile.headers.etag as string;
    assert.equal((await get(url, { 'if-none-match': etag })).statusCode, 304);
    assert.notEqual((await get(url.replace('terrain', 'viridis'))).headers.etag, etag);

    const retina = await get(`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}@2x.webp?rescale=200,800`);
    assert.equal(retina.headers['content-type'], 'image/webp');
    assert.equal((await sharp(retina.rawPayload).metadata()).width, 512);
    const jpeg = await get(`${itemPath('rgbJpeg')}/preview.jpg?max_size=128`);
    assert.equal(jpeg.headers['content-type'], 'image/jpeg');
    assert.equal((await sharp(jpeg.rawPayload).metadata()).width, 128);
    const auto = await get(`${itemPath('rgbDeflate')}/preview?max_size=64`);
    assert.equal(auto.headers['content-type'], 'image/jpeg', 'TiTiler default: JPEG when nothing is masked');
    const tif = await get(`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.tif`);
    assert.equal(tif.headers['content-type'], 'image/tiff; application=geotiff');
    const crs84 = crs84Tile(DEM_CENTRE[0], DEM_CENTRE[1], 13);
    const raw = npy((await get(`${itemPath('dem')}/tiles/WorldCRS84Quad/${crs84.z}/${crs84.x}/${crs84.y}.npy`)).rawPayload);
    assert.deepEqual(raw.shape.slice(1), [256, 256]);
  });

  it('feature crops and masks outside the polygon', async () => {
    const feature = { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[36.71, -1.21], [36.72, -1.21], [36.715, -1.22], [36.71, -1.21]]] } };
    const response = await post(`${itemPath('rgbDeflate')}/feature.png`, feature);
    assert.equal(response.statusCode, 200);
    const { data, info } = await sharp(response.rawPayload).raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.channels, 4);
    assert.equal(data[((info.height - 1) * info.width) * 4 + 3], 0, 'the bottom-left corner, outside the triangle, is transparent');
    const centre = (Math.floor(info.height / 3) * info.width + Math.floor(info.width / 2)) * 4 + 3;
    assert.equal(data[centre], 255);
  });

  it('bad requests are 4xx with catalog codes, never 500', async () => {
    const { z, x, y } = demTile();
    const cases: Array<[string, number, string]> = [
      [`${itemPath('dem')}/tiles/WebMercatorQuad/25/0/0.png`, 404, 'TILE_OUT_OF_RANGE'],
      [`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/0/0.png`, 404, 'RASTER_TILE_OUTSIDE_BOUNDS'],
      [`${itemPath('dem')}/tiles/Unknown/${z}/${x}/${y}.png`, 404, 'TILE_MATRIX_SET_UNKNOWN'],
      [`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?expression=b1%2B(`, 400, 'RASTER_EXPRESSION_INVALID'],
      [`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?expression=b2`, 400, 'RASTER_EXPRESSION_INVALID'],
      [`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?colormap_name=nope`, 400, 'RASTER_COLORMAP_UNKNOWN'],
      [`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?colormap={bad`, 400, 'RASTER_PARAMETER_INVALID'],
      [`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.gif`, 400, 'RASTER_PARAMETER_INVALID'],
      [`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?bidx=3`, 400, 'RASTER_PARAMETER_INVALID'],
      [`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?rescale=1`, 400, 'RASTER_PARAMETER_INVALID'],
      [`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?nosuch=1`, 400, 'UNKNOWN_PARAMETER'],
      [`${itemPath('dem')}/bbox/-180,-85,180,85/5000x5000.png`, 400, 'RASTER_TOO_LARGE'],
      [`${itemPath('dem')}/bbox/1,2,3.png`, 400, 'RASTER_PARAMETER_INVALID'],
      [`${itemPath('dem')}/bbox/14,45,14.1,45.1.png?coord_crs=EPSG:9999`, 400, 'RASTER_CRS_UNSUPPORTED'],
      [`/api/raster/collections/raster-test/items/missing/info`, 404, 'STAC_ITEM_NOT_FOUND'],
      [`/api/raster/searches/0123456789abcdef0123456789abcdef/info`, 404, 'STAC_SEARCH_NOT_FOUND'],
    ];
    for (const [url, status, code] of cases) {
      const response = await get(url);
      assert.equal(response.statusCode, status, `${url}: ${response.body}`);
      assert.equal(response.json().code, code, url);
      assert.doesNotMatch(response.body, /at .*\.ts:\d+|node_modules/, 'no stack traces');
    }
    const tooLarge = await get(`${itemPath('dem')}/bbox/-180,-85,180,85/5000x5000.png`);
    assert.match(tooLarge.json().message, /4096/);
  });
});

describe('raster mosaics of registered searches', () => {
  it('registers a search and serves tiles, points and info combining its items', async () => {
    const registered = await post('/api/raster/searches/register', { collections: ['raster-test'], bbox: [9.9, 49.7, 10.4, 50.1], sortby: [{ field: 'properties.datetime', direction: 'desc' }] });
    assert.equal(registered.statusCode, 200, registered.body);
    const { id } = registered.json() as { id: string };
    assert.match(id, /^[0-9a-f]{32}$/);
    const again = (await post('/api/raster/searches/register', { collections: ['raster-test'], bbox: [9.9, 49.7, 10.4, 50.1], sortby: [{ field: 'properties.datetime', direction: 'desc' }] })).json() as { id: string };
    assert.equal(again.id, id, 'the id is stable');

    // mosaic-b (datetime 2024-01-05) sorts before mosaic-a: it wins where both have data.
    const first = (await get(`/api/raster/searches/${id}/point/10.15,49.9`)).json() as { values: number[] };
    assert.deepEqual(first.values, [200]);
    const lowest = (await get(`/api/raster/searches/${id}/point/10.15,49.9?pixel_selection=lowest`)).json() as { values: number[] };
    assert.deepEqual(lowest.values, [10]);
    const mean = (await get(`/api/raster/searches/${id}/point/10.15,49.9?pixel_selection=mean`)).json() as { values: number[] };
    assert.deepEqual(mean.values, [105]);

    const info = (await get(`/api/raster/searches/${id}/info`)).json() as { bounds: number[] };
    assert.ok(Math.abs(info.bounds[0]! - 10) < 1e-6 && Math.abs(info.bounds[2]! - 10.3) < 1e-6, `bounds ${info.bounds}`);
    const { z, x, y } = mercatorTile(10.15, 49.9, 12);
    const tile = await get(`/api/raster/searches/${id}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?pixel_selection=highest`);
    assert.equal(tile.statusCode, 200, tile.body);
    assert.ok(tile.headers.etag);
    const bad = await get(`/api/raster/searches/${id}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?pixel_selection=median`);
    assert.equal(bad.statusCode, 400);
    const itemOnly = await get(`${itemPath('dem')}/info?pixel_selection=first`);
    assert.equal(itemOnly.json().code, 'UNKNOWN_PARAMETER', 'pixel_selection is for mosaics only');
  });
});

describe('TiTiler parity: resampling and assets', () => {
  it('resampling: each supported method renders; others are a 400 listing the supported ones', async () => {
    const { z, x, y } = demTile();
    for (const method of ['nearest', 'bilinear', 'cubic', 'cubic_spline', 'lanczos', 'average', 'mode', 'rms']) {
      const response = await get(`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?rescale=200,800&resampling=${method}`);
      assert.equal(response.statusCode, 200, `${method}: ${response.body}`);
    }
    const bad = await get(`${itemPath('dem')}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?resampling=gauss`);
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().code, 'RASTER_PARAMETER_INVALID');
    assert.match(bad.json().message, /nearest, bilinear, cubic, cubic_spline, lanczos, average, mode, rms/);
  });

  it('assets: reads the named COG assets of an item, bands stacked in order', async () => {
    const collection = 'raster-assets-test';
    const href = (key: string) => storageHref(t.runtime.config.publicUrl, CONTAINER, key);
    const cog = { type: 'image/tiff; application=geotiff; profile=cloud-optimized' };
    await createCollection(t.runtime.db, {
      type: 'Collection', stac_version: '1.1.0', id: collection, description: 'Items with several COG assets', license: 'CC-BY-4.0', links: [],
      extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [['2024-01-01T00:00:00Z', null]] } },
    }, { accessLevel: 'public', served: true });
    await insertItems(t.runtime.db, collection, [{
      type: 'Feature', stac_version: '1.1.0', id: 'scene', bbox: [36.7, -1.26, 36.77, -1.2], links: [], properties: { datetime: '2024-01-01T00:00:00Z' },
      geometry: { type: 'Polygon', coordinates: [[[36.7, -1.26], [36.77, -1.26], [36.77, -1.2], [36.7, -1.2], [36.7, -1.26]]] },
      assets: {
        visual: { ...cog, href: href('rgb-jpeg.tif'), roles: ['visual'] },
        data: { ...cog, href: href('rgb-deflate.tif'), roles: ['data'] },
        thumbnail: { href: 'https://example.com/thumb.png', type: 'image/png', roles: ['thumbnail'] },
      },
    }], { accessLevel: 'public', served: true });
    const base = `/api/raster/collections/${collection}/items/scene`;
    const lonLat = '36.735,-1.23';
    const plain = (await get(`${base}/point/${lonLat}`)).json() as { values: number[]; band_names: string[] };
    assert.deepEqual(plain.band_names, ['b1', 'b2', 'b3'], 'without assets: the data asset');
    const deflate = (await get(`${itemPath('rgbDeflate')}/point/${lonLat}`)).json() as { values: number[] };
    assert.deepEqual(plain.values, deflate.values);

    const stacked = await get(`${base}/point/${lonLat}?assets=data&assets=visual&bidx=1&bidx=4`);
    assert.equal(stacked.statusCode, 200, stacked.body);
    const body = stacked.json() as { values: number[]; band_names: string[] };
    assert.deepEqual(body.band_names, ['data_b1', 'visual_b1']);
    assert.equal(body.values[0], deflate.values[0]);
    assert.ok(Math.abs(body.values[1]! - deflate.values[0]!) <= 8, 'the JPEG copy of the same band');

    const info = (await get(`${base}/info?assets=data,visual`)).json() as { count: number };
    assert.equal(info.count, 6, 'comma-separated assets');
    const { z, x, y } = mercatorTile(36.735, -1.23, 14);
    const tile = await get(`${base}/tiles/WebMercatorQuad/${z}/${x}/${y}.png?assets=visual&assets=data&expression=b1-b4&rescale=-20,20`);
    assert.equal(tile.statusCode, 200, tile.body);
    const missing = await get(`${base}/info?assets=nir`);
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().message, /"nir" is not a COG asset of the item; it has data, visual/);
    const thumbnail = await get(`${base}/info?assets=thumbnail`);
    assert.equal(thumbnail.statusCode, 400, 'a PNG asset is not a COG');
  });
});
