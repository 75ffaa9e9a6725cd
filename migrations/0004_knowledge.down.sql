-- Reverts 0004_knowledge.up.sql.
DROP TABLE IF EXISTS files;
DROP TABLE IF EXISTS bookmarks;
DROP TABLE IF EXISTS bookmark_folders;
DROP TABLE IF EXISTS capture;
DROP TABLE IF EXISTS note_links;
DROP TABLE IF EXISTS notes;
