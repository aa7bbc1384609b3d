ALTER TABLE encounters ADD COLUMN source text;

UPDATE encounters SET source = 'desktop';
