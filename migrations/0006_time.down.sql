-- Reverts 0006_time.up.sql.
DROP TABLE IF EXISTS time_budgets;
DROP TABLE IF EXISTS time_entries;
DROP TABLE IF EXISTS time_blocks;
DROP TABLE IF EXISTS calendar_events;
