-- Reverts 0001_core.up.sql (indexes go with their tables).
DROP TABLE IF EXISTS context_types;
DROP TABLE IF EXISTS milestones;
DROP TABLE IF EXISTS projects;
DROP TABLE IF EXISTS releases;
DROP TABLE IF EXISTS areas;
DROP TABLE IF EXISTS domains;
