// The run's console output (output.log), paged from the read API: stderr lines (W&B writes them
// with an "ERROR " prefix) marked, the view kept at the bottom while it is there, and at most
// MAX_SHOWN lines in the page.
import { el } from './panels.js';

const MAX_SHOWN = 10000;
const PAGE = 10000;

export class ConsolePanel {
  constructor(api) {
    this.api = api;
    this.next = 0;
    this.shown = 0;
    this.last = null;
    this.lastLine = -1;
    this.pre = el('pre', { id: 'console', class: 'console' });
    this.note = el('div', { class: 'console-note' });
    this.node = el('div', { class: 'console-panel' }, this.note, this.pre);
  }

  /** Reads lines from where it stopped up to total (the run's logLineCount). */
  async load(total) {
    if (this.next === 0 && total > MAX_SHOWN) this.next = total - MAX_SHOWN;
    // output.log lines may be rewritten in place (progress bars): read the last one again
    let from = Math.max(0, Math.min(this.next, total) - (this.shown > 0 ? 1 : 0));
    while (from < total) {
      const page = await this.api.console(from, Math.min(PAGE, total - from));
      if (page.lines.length === 0) break;
      this.show(page.lines);
      from = page.next;
      total = Math.max(total, page.total);
    }
    this.next = from;
    this.total = total;
    this.updateNote();
  }

  show(lines) {
    const pre = this.pre;
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
    for (const { line, text } of lines) {
      const clean = text.endsWith('\n') ? text.slice(0, -1) : text;
      const node = el('span', { class: clean.startsWith('ERROR ') ? 'stderr' : null }, clean + '\n');
      if (this.last && line === this.lastLine) {
        this.last.replaceWith(node);
      } else if (line < this.lastLine) {
        continue; // already shown, and only the last line is ever read again
      } else {
        pre.append(node);
        this.shown++;
      }
      this.last = node;
      this.lastLine = line;
    }
    while (this.shown > MAX_SHOWN) { pre.firstChild.remove(); this.shown--; }
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  }

  updateNote() {
    if (this.shown === 0) this.note.textContent = 'No console output.';
    else if (this.total > this.shown) {
      this.note.textContent = `Showing the last ${this.shown.toLocaleString()} of ${this.total.toLocaleString()} lines.`;
    } else this.note.textContent = '';
  }
}
