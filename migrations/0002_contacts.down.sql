-- Reverts 0002_contacts.up.sql.
DROP TABLE IF EXISTS contacts;
DROP TABLE IF EXISTS contact_groups;
