-- Reverts 0007_lists_and_tags.up.sql.
DROP TABLE IF EXISTS entity_tags;
DROP TABLE IF EXISTS tags;
DROP TABLE IF EXISTS list_items;
DROP TABLE IF EXISTS lists;
