-- Reverts 0003_tasks.up.sql.
DROP TABLE IF EXISTS task_dependencies;
DROP TABLE IF EXISTS tasks;
DROP TABLE IF EXISTS task_templates;
