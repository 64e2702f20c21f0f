// Which metrics a page charts: W&B's panel search (a case-insensitive regular expression over the
// metric names, taken as plain text when it is not a valid one) and the cap on charts per page.

/** A predicate for a filter text; invalid tells that the text was matched literally. */
export function keyMatcher(text) {
  const wanted = (text || '').trim();
  if (!wanted) return { matches: () => true, invalid: false };
  try {
    const pattern = new RegExp(wanted, 'i');
    return { matches: (key) => pattern.test(key), invalid: false };
  } catch {
    const lower = wanted.toLowerCase();
    return { matches: (key) => key.toLowerCase().includes(lower), invalid: true };
  }
}

/**
 * The keys to chart: those matching the filter, the first max of them, and a note that says
 * what the filter and the cap left out ('' when nothing was).
 */
export function chartedKeys(keys, text, max) {
  const wanted = (text || '').trim();
  const { matches, invalid } = keyMatcher(wanted);
  const matching = keys.filter(matches);
  const notes = [];
  if (invalid) notes.push(`“${wanted}” is not a valid regular expression; matched as text.`);
  if (wanted && matching.length === 0) {
    notes.push(`No metric matches “${wanted}”.`);
  } else if (matching.length > max) {
    notes.push(`Showing the first ${max} of ${matching.length} metrics${wanted ? ' that match' : ''};`
      + ' filter the charts to see the others.');
  } else if (wanted) {
    notes.push(`${matching.length} of ${keys.length} metrics match.`);
  }
  return { keys: matching.slice(0, max), note: notes.join(' ') };
}
