DROP TABLE tags, comments, posts, writers;
