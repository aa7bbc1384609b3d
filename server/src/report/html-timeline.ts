import { DryRunReport, escapeHtml, formatDuration } from '../../../shared/protocol';
import { LockBar, LockImpact, lockTimeline } from './lock-timeline';
import { lineRange } from './dry-run-text';

/** Geometry of the SVG, in CSS pixels. */
const LABEL_WIDTH = 210;
const SLOT_WIDTH = 72;
const HEADER_HEIGHT = 44;
const ROW_HEIGHT = 24;
const LANE_GAP = 8;
const BAR_INSET = 4;
/** Width of one character of the 11px monospace bar labels. */
const LABEL_CHAR_WIDTH = 6.7;

export const IMPACT_LABELS: Record<LockImpact, string> = {
  'reads-and-writes': 'blocks reads and writes',
  writes: 'blocks writes',
  'schema-changes': 'blocks only schema changes',
};

const RELEASE_LABELS = {
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  error: 'fails: rolled back',
  end: 'end: runner commits',
} as const;

/**
 * The lock timeline as inline SVG: a column per statement, a lane per table, a bar per lock. Geometry
 * and the lock's identity are in data attributes so tests (and curious readers) can check them.
 */
export function timelineSvg(report: DryRunReport): string {
  const timeline = lockTimeline(report);
  if (timeline.lanes.length === 0) return '<p class="no-locks">No locks on existing tables.</p>';
  // Room on the right for the release line after the last statement.
  const width = LABEL_WIDTH + timeline.slots.length * SLOT_WIDTH + 12;
  const laneTops: number[] = [];
  let y = HEADER_HEIGHT;
  for (const lane of timeline.lanes) {
    laneTops.push(y);
    y += lane.rows * ROW_HEIGHT + LANE_GAP;
  }
  const height = y;
  const parts: string[] = [];

  timeline.slots.forEach((slot, i) => {
    const x = LABEL_WIDTH + i * SLOT_WIDTH;
    parts.push(
      `<g class="slot status-${escapeHtml(slot.status)}" data-statement-index="${slot.index}" data-line="${slot.line}">` +
        `<rect class="column${i % 2 ? ' odd' : ''}" x="${x}" y="0" width="${SLOT_WIDTH}" height="${height}"><title>${escapeHtml(`line ${lineRange(slot)}: ${slot.label} (${slot.status})`)}</title></rect>` +
        `<text class="line-label" x="${x + SLOT_WIDTH / 2}" y="18">L${lineRange(slot)}</text>` +
        `<circle class="status" cx="${x + SLOT_WIDTH / 2}" cy="32" r="4"/>` +
        `</g>`,
    );
  });

  // Where each transaction releases its locks.
  const ends = new Map<number, LockBar['release']>();
  for (const lane of timeline.lanes) for (const bar of lane.bars) ends.set(bar.to, bar.release);
  for (const [to, release] of ends) {
    const x = LABEL_WIDTH + to * SLOT_WIDTH;
    parts.push(
      `<line class="release release-${release}" x1="${x}" y1="${HEADER_HEIGHT - 6}" x2="${x}" y2="${height}"><title>${RELEASE_LABELS[release]}: locks released</title></line>`,
    );
  }

  timeline.lanes.forEach((lane, laneIndex) => {
    const top = laneTops[laneIndex];
    parts.push(`<text class="lane-label" x="8" y="${top + ROW_HEIGHT / 2 + 4}">${escapeHtml(lane.relation)}</text>`);
    for (const bar of lane.bars) {
      const x = LABEL_WIDTH + bar.from * SLOT_WIDTH + BAR_INSET;
      const barWidth = (bar.to - bar.from) * SLOT_WIDTH - 2 * BAR_INSET;
      const held = bar.heldMs === null ? '' : `, held ${formatDuration(bar.heldMs)} in the dry-run`;
      const from = timeline.slots[bar.from];
      const title = `${bar.mode} on ${bar.relation} from line ${from.line} until ${RELEASE_LABELS[bar.release]}${held}: blocks ${bar.blocks}`;
      parts.push(
        `<rect class="bar impact-${bar.impact}" x="${x}" y="${top + bar.row * ROW_HEIGHT + 3}" width="${barWidth}" height="${ROW_HEIGHT - 6}" rx="3"` +
          ` data-relation="${escapeHtml(bar.relation)}" data-mode="${escapeHtml(bar.mode)}" data-impact="${bar.impact}"` +
          ` data-statement-index="${bar.statementIndex}" data-from="${bar.from}" data-to="${bar.to}" data-release="${bar.release}"><title>${escapeHtml(title)}</title></rect>`,
      );
      const label = bar.mode.replace(/Lock$/, '');
      // Only where it fits; the bar's tooltip always names the mode.
      if (label.length * LABEL_CHAR_WIDTH + 12 <= barWidth) {
        parts.push(
          `<text class="bar-label" x="${x + 6}" y="${top + bar.row * ROW_HEIGHT + ROW_HEIGHT / 2 + 4}">${escapeHtml(label)}</text>`,
        );
      }
    }
  });

  const legend = (Object.keys(IMPACT_LABELS) as LockImpact[])
    .map((impact) => `<span class="key"><span class="swatch impact-${impact}"></span>${IMPACT_LABELS[impact]}</span>`)
    .join('');
  return (
    `<div class="timeline-scroll"><svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Lock timeline">` +
    parts.join('') +
    `</svg></div><p class="legend">${legend}</p>`
  );
}

export const TIMELINE_STYLE = `
:root { --lock-reads: #cf222e; --lock-writes: #bc4c00; --lock-ddl: #1f6feb; }
.timeline-scroll { overflow-x: auto; border: 1px solid var(--border); border-radius: 6px; background: var(--bg); }
.timeline { display: block; font: 12px ui-monospace, monospace; }
.timeline .column { fill: transparent; } .timeline .column.odd { fill: var(--panel); }
.timeline .line-label, .timeline .lane-label { fill: var(--fg); } .timeline .line-label { text-anchor: middle; }
.timeline .status { fill: #1a7f37; } .status-error .status { fill: var(--error); } .status-skipped .status { fill: var(--muted); }
.status-not-run .status { fill: transparent; stroke: var(--muted); }
.timeline .release { stroke: var(--muted); stroke-dasharray: 4 3; } .timeline .release-error { stroke: var(--error); }
.timeline .bar-label { fill: #fff; font-size: 11px; pointer-events: none; }
.bar.impact-reads-and-writes { fill: var(--lock-reads); } .bar.impact-writes { fill: var(--lock-writes); } .bar.impact-schema-changes { fill: var(--lock-ddl); }
.swatch.impact-reads-and-writes { background: var(--lock-reads); } .swatch.impact-writes { background: var(--lock-writes); }
.swatch.impact-schema-changes { background: var(--lock-ddl); }
.legend .key { margin-right: 1.25rem; white-space: nowrap; } .legend .swatch { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: .35em; vertical-align: -1px; }
`;
