/**
 * Glob patterns for config: `*` matches within one path segment (or, in table patterns, any characters
 * but `.`), `**` across segments, `?` one character. Case-sensitive, like PostgreSQL's quoted names.
 */
export function globToRegExp(pattern: string, separator: '/' | '.'): RegExp {
  const notSeparator = separator === '/' ? '[^/]' : '[^.]';
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (ch === '*') source += `${notSeparator}*`;
    else if (ch === '?') source += notSeparator;
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
