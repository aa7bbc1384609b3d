-- preflight-transaction: none
ALTER TYPE visit_status ADD VALUE 'over_limit';
ALTER TYPE visit_status ADD VALUE 'void';
