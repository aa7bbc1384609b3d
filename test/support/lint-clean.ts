import * as assert from 'assert';
import type { ResolvedConfig } from '../../server/src/resolved-config';
import { Diagnostic } from '../../server/src/lint/rule';
import { decodeSource, lintText, unreadableFileResult } from '../../server/src/lint/engine';

/** How a rule that threw shows up: lint/engine.ts turns the exception into this diagnostic. */
export const RULE_FAILURE = /failed on this file/;

/**
 * Lints `text` and checks what bad input must never break: lintText returns, no rule threw, and every
 * span lies inside the text. Returns the diagnostics for further checks.
 */
export function assertLintsCleanly(filePath: string, text: string, config: ResolvedConfig): Diagnostic[] {
  const { diagnostics } = lintText(filePath, text, { config });
  for (const diagnostic of diagnostics) {
    assert.ok(
      diagnostic.span.start >= 0 && diagnostic.span.end <= text.length && diagnostic.span.start <= diagnostic.span.end,
      `${diagnostic.rule} span ${JSON.stringify(diagnostic.span)} outside a text of ${text.length}`,
    );
    assert.ok(!RULE_FAILURE.test(diagnostic.message), diagnostic.message);
  }
  return diagnostics;
}

/** A file's bytes as the CLI and the language server lint them: decoded, or one diagnostic saying why not. */
export function assertLintsBytesCleanly(filePath: string, bytes: Uint8Array, config: ResolvedConfig): Diagnostic[] {
  const decoded = decodeSource(bytes);
  if ('problem' in decoded) return unreadableFileResult(filePath, decoded.problem).diagnostics;
  return assertLintsCleanly(filePath, decoded.text, config);
}
