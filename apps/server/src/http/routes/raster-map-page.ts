/**
 * The `map` viewer: one HTML page that loads MapLibre GL from this server (never a CDN — the package's
 * dist files are served under /api/raster/static/) and shows the raster's TileJSON over a blank style.
 */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A JavaScript string literal safe inside <script> (entities are not decoded there; "<" is escaped instead). */
function scriptString(text: string): string {
  return JSON.stringify(text).replace(/</g, '\\u003c');
}

export function mapPage(staticRoot: string, tileJsonUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Meridian raster viewer</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeHtml(staticRoot)}/maplibre-gl.css">
<style>html, body, #map { margin: 0; height: 100%; }</style>
</head>
<body>
<div id="map"></div>
<script type="module">
import * as maplibregl from ${scriptString(`${staticRoot}/maplibre-gl.mjs`)};
const tileJsonUrl = ${scriptString(tileJsonUrl)};
const tileJson = await (await fetch(tileJsonUrl)).json();
const map = new maplibregl.Map({
  container: 'map',
  style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#f4f4f4' } }] },
  bounds: tileJson.bounds,
});
map.on('load', () => {
  map.addSource('raster', { type: 'raster', url: tileJsonUrl, tileSize: 256 });
  map.addLayer({ id: 'raster', type: 'raster', source: 'raster' });
});
</script>
</body>
</html>
`;
}
