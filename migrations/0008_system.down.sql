-- Reverts 0008_system.up.sql.
DROP TABLE IF EXISTS saved_views;
DROP TABLE IF EXISTS user_settings;
DROP TABLE IF EXISTS activity_log;
