-- Reverts 0009_search_index.up.sql.
DROP TABLE IF EXISTS search_index;
