-- The three schemas of Meridian: app (platform state: jobs, releases, audit), geo (published vector
-- tables, one table per dataset), catalog (STAC collections and items).
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS app;
CREATE SCHEMA IF NOT EXISTS geo;
CREATE SCHEMA IF NOT EXISTS catalog;
