DROP TABLE tags, writer_profiles, comments, posts, writers;
