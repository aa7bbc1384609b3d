/**
 * Where the statements of a dry-run report are after the file was edited. The report's offsets describe the
 * text that ran; each edit moves the statements after it and marks the ones it touched, so that the results
 * panel can say it is out of date and a click still lands on the statement the row describes.
 * Editor-independent, so that tests can run it.
 */

/** One change of a document, as VS Code reports it: offsets into the text before the change event. */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

export interface StatementPlace {
  startOffset: number;
  endOffset: number;
  /** An edit changed the statement's own text: it no longer is what ran. */
  edited: boolean;
}

/**
 * The places after one change event. The changes of one event do not overlap and each is given against the
 * text before the event, so applying them from the last to the first keeps every offset meaningful.
 */
export function followEdits(places: readonly StatementPlace[], changes: readonly TextChange[]): StatementPlace[] {
  let moved = [...places];
  for (const change of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
    const start = change.rangeOffset;
    const end = start + change.rangeLength;
    const delta = change.text.length - change.rangeLength;
    moved = moved.map((place) => {
      if (place.endOffset <= start) return place;
      if (place.startOffset >= end)
        return { ...place, startOffset: place.startOffset + delta, endOffset: place.endOffset + delta };
      // The change is inside the statement or overlaps an end of it: it now spans what is left of both.
      return {
        startOffset: Math.min(place.startOffset, start),
        endOffset: Math.max(place.endOffset + delta, start + change.text.length),
        edited: true,
      };
    });
  }
  return moved;
}
