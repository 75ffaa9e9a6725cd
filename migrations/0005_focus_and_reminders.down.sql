-- Reverts 0005_focus_and_reminders.up.sql.
DROP TABLE IF EXISTS reminders;
DROP TABLE IF EXISTS daily_focus;
