/**
 * How a front end names the switches a dry-run message points to. The engine's messages end in advice ("run
 * with --allow-side-effects to execute it anyway"); a flag means nothing in the editor's results panel, so
 * each front end says where a connection came from and how its user lifts a refusal in its own words.
 */
export interface FrontEndWording {
  /** Where an explicitly given connection came from, in `could not connect ... (from <source>)`. */
  explicitConnection: string;
  /** How to run a refused statement anyway; completes "refused: ... (<this>)". */
  allowSideEffects: string;
  /** How to dry-run on a server that is not on this machine; completes "... is not a local database server: <this>". */
  allowRemote: string;
}

export const CLI_WORDING: FrontEndWording = {
  explicitConnection: '--database-url',
  allowSideEffects: 'run with --allow-side-effects to execute it anyway',
  allowRemote: 'a dry-run holds locks there while it runs, so pass --allow-remote to use it',
};
