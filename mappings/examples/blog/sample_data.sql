-- Sample rows for the blog v1 schema (v1.sql): enough to exercise every
-- rule of blog.toml. Drafts have no published_at (NULL sorts last); two
-- posts of one author share a published_at (ties by id); one comment has
-- no created_at (first in its post, newest first); text holds quotes,
-- tabs, newlines, backslashes, a lone `\.` and non-ASCII; one author has
-- no display_name (named by handle), one comment no commenter.

INSERT INTO public.authors (id, handle, display_name, bio, created_at) VALUES
  ('c0000000-0000-4000-8000-000000000001', 'ada', 'Ada Lovelace', E'Analyst.\nPoet of science.', '2020-01-01 10:00:00+00'),
  ('c0000000-0000-4000-8000-000000000002', 'grace', NULL, NULL, '2020-02-01 10:00:00+00'),
  ('c0000000-0000-4000-8000-000000000003', 'empty', 'No posts "yet"', 'Tab\there', '2020-03-01 10:00:00+00');

INSERT INTO public.posts (id, author_id, title, body, is_published, state, published_at, created_at) VALUES
  ('d0000000-0000-4000-8000-000000000005', 'c0000000-0000-4000-8000-000000000001', 'Draft two', NULL, false, 'draft', NULL, '2021-01-05 00:00:00+00'),
  ('d0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000001', 'Engines', E'Line one\nLine\ttwo', true, 'live', '2021-01-02 09:00:00+00', '2021-01-01 00:00:00+00'),
  ('d0000000-0000-4000-8000-000000000003', 'c0000000-0000-4000-8000-000000000001', E'\\.', E'back\\slash', true, 'old', '2021-01-01 09:00:00+00', '2021-01-01 00:00:00+00'),
  ('d0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000001', 'Tie', 'same instant', true, 'live', '2021-01-01 09:00:00+00', '2021-01-01 00:00:00+00'),
  ('d0000000-0000-4000-8000-000000000004', 'c0000000-0000-4000-8000-000000000001', 'Draft one', 'unfinished', false, 'draft', NULL, '2021-01-04 00:00:00+00'),
  ('d0000000-0000-4000-8000-000000000006', 'c0000000-0000-4000-8000-000000000002', 'Ποίηση', 'κείμενο', true, 'live', '2019-12-31 23:59:59.999999-12', '2019-12-01 00:00:00+00');

INSERT INTO public.comments (id, post_id, commenter, body, created_at) VALUES
  ('e0000000-0000-4000-8000-000000000001', 'd0000000-0000-4000-8000-000000000001', 'bob', 'First!', '2021-01-02 10:00:00+00'),
  ('e0000000-0000-4000-8000-000000000002', 'd0000000-0000-4000-8000-000000000001', NULL, 'Anonymous', '2021-01-03 10:00:00+00'),
  ('e0000000-0000-4000-8000-000000000003', 'd0000000-0000-4000-8000-000000000001', 'carol', 'Undated', NULL),
  ('e0000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000006', 'dan', E'It''s "quoted"\\', '2020-01-01 00:00:00+00');
