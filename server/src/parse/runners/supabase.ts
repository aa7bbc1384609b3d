import { oneQueryRunner } from './runner';

/**
 * `supabase db push` and `supabase migration up` split `supabase/migrations/<timestamp>_name.sql` into statements and
 * send them, with the history insert, as one pgx batch (`pkg/migration/file.go`: "ExecBatch is implicitly
 * transactional"): the file runs as one implicit transaction, so CONCURRENTLY works only in a migration file of its
 * own (supabase/cli#2898). Before each file it sends `RESET ALL`, so a setting an earlier migration made (a
 * `search_path`, a `lock_timeout`) does not carry over. There is no per-file switch.
 */
export const supabase = oneQueryRunner({
  id: 'supabase',
  name: 'Supabase CLI',
  docs: 'https://github.com/supabase/cli/blob/develop/pkg/migration/file.go',
  packages: ['supabase', 'github.com/supabase/cli'],
  noSwitchAdvice: () =>
    'The Supabase CLI sends a migration file as one batch, one implicit transaction, and has no switch: put this statement in a migration file of its own.',
  sends: [
    'RESET ALL before each migration file',
    'INSERT INTO supabase_migrations.schema_migrations ... in the same batch',
  ],
});
