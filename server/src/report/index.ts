import { githubReporter } from './github';
import { gitlabReporter } from './gitlab';
import { htmlReporter } from './html';
import { jsonReporter } from './json';
import { markdownReporter } from './markdown';
import { prettyReporter } from './pretty';
import { sarifReporter } from './sarif';
import { LintReporter } from './types';

/** Every `preflight lint --format` value. */
export const REPORTERS: Record<string, LintReporter> = {
  pretty: prettyReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
  gitlab: gitlabReporter,
  markdown: markdownReporter,
  html: htmlReporter,
};
