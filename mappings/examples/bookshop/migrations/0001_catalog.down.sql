DROP TABLE titles;
DROP TABLE writers;
