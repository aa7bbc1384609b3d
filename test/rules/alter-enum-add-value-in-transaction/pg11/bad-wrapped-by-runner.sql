ALTER TYPE visit_status ADD VALUE 'void';
