-- The one row of catalog_version; every catalog write batch moves it forward (worker/catalog/store/derived.ts).
INSERT INTO `catalog_version` (id, version) VALUES (1, 1) ON CONFLICT(id) DO NOTHING;
