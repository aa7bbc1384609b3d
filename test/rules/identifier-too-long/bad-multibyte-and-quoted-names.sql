-- Names of three-byte characters: 22 of them are 66 bytes (truncated), 21 are 63 (kept).
CREATE TABLE €€€€€€€€€€€€€€€€€€€€€€ (id bigint);
CREATE TABLE €€€€€€€€€€€€€€€€€€€€€ (id bigint);
-- A quoted name with spaces has no long run of name characters, yet is 70 bytes long.
CREATE TABLE "monthly revenue per region per product line per channel and per quarter" (id bigint);
