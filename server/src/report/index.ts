import { jsonReporter } from './json';
import { prettyReporter } from './pretty';
import { LintReporter } from './types';

/** Every `preflight lint --format` value. */
export const REPORTERS: Record<string, LintReporter> = {
  pretty: prettyReporter,
  json: jsonReporter,
};
