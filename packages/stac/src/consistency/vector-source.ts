/**
 * Vector data: the tables of schema geo, their rows in geo.table_catalog, and the STAC items that point at
 * them (an href to `/api/features/collections/{table}`).
 */
import { kebabSlug } from '@meridian/core';
import { ensureCollection } from '../collections.ts';
import { featuresCollectionHref, meridianTargets } from '../hrefs.ts';
import { deleteItem, upsertItems } from '../items.ts';
import type { StacCollection, StacItem } from '../types.ts';
import { itemsWithTargets } from './item-scan.ts';
import type { CheckContext, ConsistencySource, Finding } from './types.ts';

/** The STAC collection that vector tables' items belong to unless the ETL was told otherwise. */
export const VECTOR_COLLECTION_ID = 'system-vectors';

interface CatalogRow {
  table_name: string;
  title: string;
  description: string;
  bbox: number[] | null;
  temporal_start: Date | null;
  temporal_end: Date | null;
  feature_count: number;
  geometry_type: string;
  access_level: 'public' | 'ouo';
  served: boolean;
  created_at: Date;
  table_exists: boolean;
}

function vectorCollection(): StacCollection {
  return {
    type: 'Collection',
    stac_version: '1.1.0',
    id: VECTOR_COLLECTION_ID,
    title: 'Vector datasets',
    description: 'Vector tables published by Meridian as OGC API Features and vector tiles.',
    license: 'proprietary',
    keywords: ['vector', 'features'],
    extent: { spatial: { bbox: [[-180, -90, 180, 90]] }, temporal: { interval: [[null, null]] } },
    links: [],
  };
}

/** The STAC item of a published table, rebuilt from its catalog row alone. */
export function vectorItem(row: CatalogRow, publicUrl: string): StacItem {
  const [west, south, east, north] = row.bbox ?? [];
  const geometry = row.bbox
    ? { type: 'Polygon', coordinates: [[[west, south], [east, south], [east, north], [west, north], [west, south]]] }
    : null;
  const start = row.temporal_start ?? row.created_at;
  const end = row.temporal_end ?? start;
  const href = featuresCollectionHref(publicUrl, row.table_name);
  return {
    type: 'Feature',
    stac_version: '1.1.0',
    id: kebabSlug(row.table_name),
    geometry,
    ...(row.bbox ? { bbox: row.bbox } : {}),
    properties: {
      title: row.title,
      description: row.description,
      datetime: start.toISOString(),
      start_datetime: start.toISOString(),
      end_datetime: end.toISOString(),
      'meridian:table_name': row.table_name,
      'meridian:geometry_type': row.geometry_type,
      'meridian:feature_count': row.feature_count,
    },
    assets: {
      data: { href: `${href}/items`, type: 'application/geo+json', title: 'Features (OGC API Features)', roles: ['data'] },
    },
    links: [{ rel: 'describedby', href, type: 'application/json', title: 'OGC API Features collection' }],
  };
}

export const vectorSource: ConsistencySource = {
  name: 'vector',
  async available({ db }) {
    const { rows } = await db.query<{ ok: boolean }>("SELECT to_regclass('geo.table_catalog') IS NOT NULL AS ok");
    return rows[0]!.ok;
  },
  async check(ctx: CheckContext) {
    const { db } = ctx;
    const findings: Finding[] = [];
    const { rows: catalog } = await db.query<CatalogRow>(
      `SELECT table_name, title, description, bbox, temporal_start, temporal_end, feature_count, geometry_type,
              access_level, served, created_at, to_regclass(format('geo.%I', table_name)) IS NOT NULL AS table_exists
         FROM geo.table_catalog ORDER BY table_name`,
    );
    const { rows: tables } = await db.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'geo' AND tablename <> 'table_catalog' ORDER BY tablename",
    );
    const cataloged = new Set(catalog.map((r) => r.table_name));
    for (const row of catalog) {
      if (!row.table_exists) findings.push({ source: 'vector', kind: 'catalog_row_without_table', subject: row.table_name, detail: 'geo.table_catalog lists a table that does not exist' });
    }
    for (const table of tables) {
      if (!cataloged.has(table.name)) findings.push({ source: 'vector', kind: 'table_without_catalog_row', subject: table.name, detail: 'a table in schema geo has no geo.table_catalog row (it is not served)' });
    }
    const existing = new Set(catalog.filter((r) => r.table_exists).map((r) => r.table_name));
    const described = new Set<string>();
    for await (const item of itemsWithTargets(db, 'vector')) {
      for (const target of meridianTargets(item.content)) {
        if (target.kind !== 'vector') continue;
        described.add(target.table);
        if (existing.has(target.table)) continue;
        const finding: Finding = { source: 'vector', kind: 'stac_item_without_table', subject: `${item.collection}/${item.id}`, detail: `the item points at table geo.${target.table}, which does not exist` };
        if (ctx.repair) {
          await deleteItem(db, item.collection, item.id);
          finding.repaired = 'item_deleted';
        }
        findings.push(finding);
        break;
      }
    }
    for (const row of catalog) {
      if (!row.table_exists || described.has(row.table_name)) continue;
      const finding: Finding = { source: 'vector', kind: 'table_without_stac_item', subject: row.table_name, detail: 'no STAC item points at this published table' };
      if (ctx.repair) {
        await db.transaction(async (tx) => {
          await ensureCollection(tx, vectorCollection(), { accessLevel: 'public', served: true });
          await upsertItems(tx, VECTOR_COLLECTION_ID, [vectorItem(row, ctx.publicUrl)], { accessLevel: row.access_level, served: row.served });
        });
        finding.repaired = 'item_created';
      }
      findings.push(finding);
    }
    return { checked: catalog.length + tables.length, findings };
  },
};
