-- Sample rows for the bookshop v1 schema (v1.sql): enough to exercise every
-- rule of bookshop.toml. Two authors share a created_at (the sort order
-- breaks the tie by id); text holds quotes, tabs, newlines, backslashes and
-- non-ASCII; one author has no country; one book has no tags, one a NULL tag.

INSERT INTO public.authors (id, full_name, country, created_at) VALUES
  ('6f1c1d2e-0000-4000-8000-000000000003', 'Ursula K. Le Guin', 'US', '2021-03-28 01:30:00+01'),
  ('6f1c1d2e-0000-4000-8000-000000000001', 'Stanisław Lem', 'PL', '2021-03-28 01:30:00+01'),
  ('6f1c1d2e-0000-4000-8000-000000000002', 'Anonymous "Q"', NULL, '2020-11-01 01:59:59-04'),
  ('6f1c1d2e-0000-4000-8000-000000000004', E'Tab\tand\nnewline', 'DE', '2022-01-01 00:00:00+00');

INSERT INTO public.books (id, author_id, title, price_cents, tags, internal_note, created_at) VALUES
  ('a0000000-0000-4000-8000-00000000000b', '6f1c1d2e-0000-4000-8000-000000000001', 'Solaris', 1299, '{classic,"sci-fi"}', 'reorder', '2021-04-01 10:00:00+02'),
  ('a0000000-0000-4000-8000-00000000000a', '6f1c1d2e-0000-4000-8000-000000000001', 'The Cyberiad', 999, '{"a,b","quote\"d",NULL}', NULL, '2021-04-01 09:00:00+01'),
  ('a0000000-0000-4000-8000-00000000000c', '6f1c1d2e-0000-4000-8000-000000000003', 'The Dispossessed', 0, NULL, 'free promo', '2021-05-05 05:05:05+00'),
  ('a0000000-0000-4000-8000-00000000000d', '6f1c1d2e-0000-4000-8000-000000000003', E'It''s a \\ backslash', 1500, '{}', NULL, '2021-05-05 05:05:05+00'),
  ('a0000000-0000-4000-8000-00000000000e', '6f1c1d2e-0000-4000-8000-000000000002', 'Ποίηση', 250, '{poetry}', NULL, '2019-12-31 23:59:59.999999-12');

INSERT INTO public.reviews (id, book_id, stars, body, created_at) VALUES
  ('b0000000-0000-4000-8000-000000000001', 'a0000000-0000-4000-8000-00000000000b', 5, E'Ocean.\tThinking ocean.\nSecond line \\ end', '2022-02-02 02:02:02+00'),
  ('b0000000-0000-4000-8000-000000000002', 'a0000000-0000-4000-8000-00000000000c', 4, NULL, '2022-02-03 00:00:00-03:30'),
  ('b0000000-0000-4000-8000-000000000003', 'a0000000-0000-4000-8000-00000000000e', 1, '', '2022-02-04 12:00:00+05:45'),
  ('b0000000-0000-4000-8000-000000000004', 'a0000000-0000-4000-8000-00000000000b', 3, '¯\_(ツ)_/¯', '2022-02-05 00:00:00+00');
