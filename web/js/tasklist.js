// The task list: a keyed row per task near the viewport (a window, see TaskListView), touched
// only when its task changed, and every DOM write of a batch done in one animation frame
// (1,000 tasks updating stay smooth; 10,000 stored ones cost a screenful of rows).
import { clampPercent, formatAttempt, formatCounts, formatEta, formatPercent, formatProcessed, formatSpeed, formatStep, stateLabel } from './format.js';
import { ACTIONS, canDo, isActive, isFinished } from './transitions.js';
import { api } from './api.js';

const BADGE = {
    queued: 'text-bg-secondary',
    running: 'text-bg-primary',
    paused: 'text-bg-warning',
    retrying: 'text-bg-info',
    succeeded: 'text-bg-success',
    failed: 'text-bg-danger',
    canceled: 'text-bg-secondary',
    interrupted: 'text-bg-warning',
};
const OUTPUT_REFRESH_MS = 1000; // the open Output fold of a running task; the store's rate too
const ACTION_LABELS = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel', retry: 'Retry', remove: 'Remove' };

function setText(el, text) {
    if (el.textContent !== text)
        el.textContent = text;
}

function matchesFilter(filter, state) {
    if (filter === 'active')
        return !isFinished(state);
    if (filter === 'finished')
        return isFinished(state);
    return true;
}

class Row {
    constructor(template, id) {
        this.id = id;
        this.el = template.content.firstElementChild.cloneNode(true);
        this.el.dataset.id = id;
        const q = (sel) => this.el.querySelector(sel);
        this.title = q('.hw-title');
        this.badge = q('.hw-state');
        this.type = q('.hw-type');
        this.progress = q('.hw-progress');
        this.bar = q('.hw-bar-fill');
        this.steps = q('.hw-steps');
        this.percent = q('.hw-percent');
        this.processed = q('.hw-processed');
        this.speed = q('.hw-speed');
        this.eta = q('.hw-eta');
        this.step = q('.hw-step');
        this.message = q('.hw-message');
        this.error = q('.hw-error');
        this.output = q('.hw-output');
        this.outputText = q('.hw-output-text');
        // The pushes carry no output (only its size): the fold reads GET /api/v1/tasks/ID/output
        // when opened, every OUTPUT_REFRESH_MS while open and the task runs, and once more
        // when its state changes (the last lines): the lines in the order printed, stderr marked.
        this.output.addEventListener('toggle', () => {
            if (this.output.open)
                this.loadOutput();
            this.followOutput();
        });
        this.outputLoading = false;
        this.outputStale = false;
        this.outputTimer = null;
        this.running = false;
        this.buttons = {};
        for (const b of this.el.querySelectorAll('[data-action]'))
            this.buttons[b.dataset.action] = b;
        this.busy = null; // the action in flight from this row, if any
        this.last = {};   // what is drawn now, to skip writes that change nothing
    }

    /** stale: Headway cannot be reached; the last known state, without speed, time left or actions. */
    render(t, stale = false) {
        const last = this.last;
        const p = t.progress || {};
        const title = t.title || t.type || t.id;
        if (last.title !== title) {
            setText(this.title, title);
            this.progress.setAttribute('aria-label', `Progress of ${title}`);
            for (const a of ACTIONS)
                this.buttons[a].setAttribute('aria-label', `${ACTION_LABELS[a]} ${title}`);
            last.title = title;
        }
        const attempt = formatAttempt(t.attempt, t.max_retries);
        const typeText = attempt ? `${t.type} · ${attempt}` : t.type || '';
        if (last.typeText !== typeText) {
            setText(this.type, typeText);
            last.typeText = typeText;
        }
        if (last.state !== t.state) {
            this.badge.className = `badge hw-state ${BADGE[t.state] || 'text-bg-light'}`;
            setText(this.badge, stateLabel(t.state));
            this.el.dataset.state = t.state;
            last.state = t.state;
        }

        // The bar: percent, or striped and full width while running without one.
        let percent = clampPercent(p.percent);
        if (t.state === 'succeeded')
            percent = 100;
        const indeterminate = percent === null && (t.state === 'running' || t.state === 'retrying');
        const drawn = percent === null ? 0 : percent;
        const barClass = `progress-bar hw-bar-fill${indeterminate ? ' progress-bar-striped progress-bar-animated' : ''}`;
        if (last.barClass !== barClass) {
            this.bar.className = barClass;
            last.barClass = barClass;
        }
        const width = indeterminate ? 100 : drawn;
        if (last.width !== width) {
            this.bar.style.width = `${width}%`;
            last.width = width;
        }
        const valueNow = indeterminate ? null : Math.round(drawn * 10) / 10;
        if (last.valueNow !== valueNow) {
            if (valueNow === null) {
                this.progress.removeAttribute('aria-valuenow');
                this.progress.setAttribute('aria-valuetext', 'In progress, amount unknown');
            } else {
                this.progress.setAttribute('aria-valuenow', String(valueNow));
                this.progress.setAttribute('aria-valuetext', formatPercent(drawn) || '0%');
            }
            last.valueNow = valueNow;
        }

        // Steps of a pipeline.
        const steps = Array.isArray(p.steps) ? p.steps : [];
        const stepsKey = steps.join('\u0000');
        const stepIndex = Number.isInteger(p.step) ? p.step : -1;
        if (last.stepsKey !== stepsKey || last.stepIndex !== stepIndex || last.stepsDone !== (t.state === 'succeeded')) {
            this.renderSteps(steps, stepIndex, t.state === 'succeeded');
            last.stepsKey = stepsKey;
            last.stepIndex = stepIndex;
            last.stepsDone = t.state === 'succeeded';
        }

        const running = t.state === 'running' && !stale;
        setText(this.percent, indeterminate ? '' : formatPercent(drawn));
        setText(this.processed, formatProcessed(p));
        setText(this.speed, running ? formatSpeed(p.speed, p.unit) : '');
        const eta = running ? formatEta(p.eta) : '';
        setText(this.eta, eta ? `${eta} left` : '');
        setText(this.step, formatStep(p));
        // The task's own message only while it is under way: after the end, the badge and the
        // error say what happened, not the last thing it was doing ("Unpacking payload").
        setText(this.message, isActive(t.state) ? p.message || '' : '');
        let error = '';
        if (t.error && typeof t.error === 'object' && t.error.message && !isActive(t.state)) {
            // What failed, then why: the last line the program wrote to stderr.
            const cause = typeof t.stderr_last_line === 'string' ? t.stderr_last_line : '';
            error = cause ? `${t.error.message} Cause: ${cause}` : t.error.message;
        }
        else if (t.state === 'retrying')
            error = t.error?.message ? `Will try again: ${t.error.message}` : 'Will try again shortly.';
        setText(this.error, error);
        // What a command printed (its end), folded under "Output".
        const hasOutput = Number.isFinite(t.output_size) && t.output_size > 0;
        if (last.hasOutput !== hasOutput) {
            this.output.hidden = !hasOutput;
            last.hasOutput = hasOutput;
        }
        if (this.running !== running || last.outputState !== t.state) {
            if (this.output.open && last.outputState !== undefined && !stale)
                this.loadOutput();
            this.running = running;
            last.outputState = t.state;
            this.followOutput();
        }

        this.renderButtons(t, stale);
    }

    /** Refreshes the open fold while the task runs; stops when it is closed or the task ends. */
    followOutput() {
        const follow = this.output.open && this.running && this.el.isConnected;
        if (follow && this.outputTimer === null)
            this.outputTimer = setInterval(() => {
                this.followOutput(); // a row scrolled out of the window is gone
                if (this.outputTimer !== null)
                    this.loadOutput();
            }, OUTPUT_REFRESH_MS);
        else if (!follow && this.outputTimer !== null) {
            clearInterval(this.outputTimer);
            this.outputTimer = null;
        }
    }

    /** Fetches the output's lines (one request in flight; a change meanwhile fetches again). */
    async loadOutput() {
        if (this.outputLoading) {
            this.outputStale = true;
            return;
        }
        this.outputLoading = true;
        try {
            const data = await api.output(this.id);
            this.renderOutput(Array.isArray(data?.lines) ? data.lines : []);
        } catch (e) {
            this.outputText.textContent = `Cannot read the output: ${e.message || e}`;
        } finally {
            this.outputLoading = false;
        }
        if (this.outputStale) {
            this.outputStale = false;
            this.loadOutput();
        }
    }

    renderOutput(lines) {
        const pre = this.outputText;
        const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 2;
        const frag = document.createDocumentFragment();
        for (const line of lines) {
            const span = document.createElement('span');
            span.className = line.stream === 'stderr' ? 'hw-line hw-stderr' : 'hw-line';
            if (line.stream === 'stderr')
                span.title = 'stderr';
            span.textContent = line.text || '\u200b'; // an empty line keeps its height
            frag.appendChild(span);
        }
        pre.replaceChildren(frag);
        if (atEnd)
            pre.scrollTop = pre.scrollHeight;
    }

    renderSteps(steps, index, allDone) {
        this.steps.classList.toggle('d-none', steps.length === 0);
        while (this.steps.children.length > steps.length)
            this.steps.lastElementChild.remove();
        while (this.steps.children.length < steps.length)
            this.steps.appendChild(document.createElement('li'));
        steps.forEach((label, i) => {
            const li = this.steps.children[i];
            setText(li, label);
            const done = allDone || i < index;
            li.className = done ? 'hw-done' : i === index ? 'hw-current' : '';
            if (i === index && !allDone)
                li.setAttribute('aria-current', 'step');
            else
                li.removeAttribute('aria-current');
        });
    }

    renderButtons(task, stale = false) {
        const focused = document.activeElement;
        let lostFocus = false;
        for (const a of ACTIONS) {
            const b = this.buttons[a];
            // While an action is in flight its button keeps focus (aria-disabled, see busy.js).
            const disabled = stale || (this.busy !== null ? b.disabled && this.busy !== a : !canDo(a, task));
            if (b.disabled !== disabled) {
                if (disabled && b === focused)
                    lostFocus = true;
                b.disabled = disabled;
            }
        }
        // Keyboard users keep their place: Pause -> Resume, Cancel -> Retry...
        if (lostFocus) {
            const next = ACTIONS.map((a) => this.buttons[a]).find((b) => !b.disabled);
            (next || this.el).focus?.();
        }
    }
}

// The list draws only the rows near the viewport (a window over the filtered, ordered tasks):
// 10,000 stored tasks cost a few dozen rows in the DOM. The list's top and bottom padding stand
// for the rows not drawn, at their last drawn height (or the mean of the drawn ones), so the
// page's scroll bar and position stay right. Counts and the empty text use every task.
const OVERSCAN_PX = 1000; // drawn above and below the viewport
const ESTIMATE_PX = 110; // a row's height before any was drawn

export class TaskListView {
    constructor({ list, empty, counts, template, store }) {
        this.list = list;
        this.empty = empty;
        this.counts = counts;
        this.template = template;
        this.store = store;
        this.rows = new Map(); // id -> Row, for the drawn rows only
        this.dirty = new Set();
        this.gone = new Set();
        this.reorder = true;
        this.sorted = []; // every id, newest first
        this.known = new Set(); // the ids in sorted
        this.order = []; // the ids that pass the filter, newest first
        this.orderStale = true;
        this.heights = new Map(); // id -> height last drawn (margin included)
        this.measured = { sum: 0, count: 0 };
        this.busy = new Map(); // id -> action in flight (kept for rows scrolled away)
        this.drawn = [0, 0]; // the window: order[start, end)
        this.frame = 0;
        this.filter = 'all';
        this.flushes = 0; // frames that wrote to the DOM (tests read it)
        this.stale = false;
        // Scrolling moves the window: one pass per frame at most.
        window.addEventListener('scroll', () => this.schedule(), { passive: true });
        window.addEventListener('resize', () => this.schedule(), { passive: true });
    }

    /** While Headway cannot be reached the rows show their last known state as such. */
    setStale(stale) {
        if (this.stale === stale)
            return;
        this.stale = stale;
        this.list.classList.toggle('hw-stale', stale);
        for (const id of this.rows.keys())
            this.dirty.add(id);
        this.schedule();
    }

    /** Records what a TaskStore.apply() changed; the DOM follows on the next frame. */
    update(result) {
        for (const id of result.removed) {
            this.gone.add(id);
            this.dirty.delete(id);
        }
        for (const id of result.changed) {
            this.dirty.add(id);
            if (!this.known.has(id))
                this.reorder = true; // a new task: the order is sorted again
        }
        if (result.removed.size > 0 || result.full)
            this.reorder = true;
        // A changed state may move a task in or out of the filter.
        if (result.transitions.length > 0 || this.filter !== 'all')
            this.orderStale = true;
        this.schedule();
    }

    setFilter(filter) {
        this.filter = filter;
        this.orderStale = true;
        for (const id of this.rows.keys())
            this.dirty.add(id);
        this.schedule();
    }

    rowFor(id) {
        return this.rows.get(id);
    }

    /** Marks a row busy (an action in flight): its buttons stay disabled until done. */
    setBusy(id, action) {
        if (action)
            this.busy.set(id, action);
        else
            this.busy.delete(id);
        const row = this.rows.get(id);
        const task = this.store.tasks.get(id);
        if (!row)
            return;
        row.busy = action;
        if (task)
            row.renderButtons(task, this.stale);
    }

    schedule() {
        if (this.frame)
            return;
        // Hidden tabs get no frames: fall back to a timer so the list is current when shown.
        this.frame = document.hidden
            ? setTimeout(() => this.flush(), 1000)
            : requestAnimationFrame(() => this.flush());
    }

    heightOf(id) {
        const h = this.heights.get(id);
        if (h !== undefined)
            return h;
        return this.measured.count ? this.measured.sum / this.measured.count : ESTIMATE_PX;
    }

    /** order[start, end): the rows within OVERSCAN_PX of the viewport, from the known heights. */
    windowRange() {
        const n = this.order.length;
        if (n === 0)
            return [0, 0];
        // The list's top edge: row i starts at top + the heights of rows 0..i-1 (the top
        // padding stands for the rows above the window).
        const top = this.list.getBoundingClientRect().top;
        const from = -top - OVERSCAN_PX;
        const to = -top + window.innerHeight + OVERSCAN_PX;
        let y = 0;
        let start = 0;
        while (start < n - 1) {
            const h = this.heightOf(this.order[start]);
            if (y + h > from)
                break;
            y += h;
            start += 1;
        }
        let end = start;
        while (end < n && y < to) {
            y += this.heightOf(this.order[end]);
            end += 1;
        }
        return [start, Math.max(end, start + 1)];
    }

    flush() {
        const started = performance.now();
        this.frame = 0;
        this.flushes += 1;
        for (const id of this.gone) {
            const row = this.rows.get(id);
            if (row) {
                row.el.remove();
                this.rows.delete(id);
            }
            this.forget(id);
        }
        this.gone.clear();
        if (this.reorder) {
            this.reorder = false;
            this.sorted = this.store.ordered().map((t) => t.id);
            this.known = new Set(this.sorted);
            this.orderStale = true;
        }
        if (this.orderStale) {
            this.orderStale = false;
            this.order = this.filter === 'all'
                ? this.sorted
                : this.sorted.filter((id) => matchesFilter(this.filter, this.store.tasks.get(id)?.state));
        }

        let [start, end] = this.windowRange();
        for (let pass = 0; pass < 3; ++pass) {
            this.draw(start, end);
            // Rows drawn for the first time may be taller or shorter than guessed: the window
            // is checked again with their real heights (it settles in a pass or two).
            const [s, e] = this.windowRange();
            if (s === start && e === end)
                break;
            [start, end] = [s, e];
        }
        this.dirty.clear();
        this.renderSummary();
        this.lastFlushMs = performance.now() - started;
        this.worstFlushMs = Math.max(this.worstFlushMs || 0, this.lastFlushMs);
    }

    forget(id) {
        const h = this.heights.get(id);
        if (h !== undefined) {
            this.measured.sum -= h;
            this.measured.count -= 1;
            this.heights.delete(id);
        }
    }

    // Draws order[start, end): rows leaving the window go, new ones come, changed ones are
    // redrawn; the paddings stand for the rest; the drawn rows' heights are measured.
    draw(start, end) {
        const wanted = this.order.slice(start, end);
        const keep = new Set(wanted);
        for (const [id, row] of this.rows) {
            if (!keep.has(id)) {
                row.el.remove();
                this.rows.delete(id);
            }
        }
        let cursor = this.list.firstElementChild;
        for (const id of wanted) {
            const task = this.store.tasks.get(id);
            let row = this.rows.get(id);
            if (!row) {
                row = new Row(this.template, id);
                row.busy = this.busy.get(id) ?? null;
                this.rows.set(id, row);
                row.render(task, this.stale);
            } else if (this.dirty.has(id)) {
                row.render(task, this.stale);
            }
            // Moves only the rows that are out of place (new ones usually go to the top).
            if (row.el === cursor)
                cursor = cursor.nextElementSibling;
            else
                this.list.insertBefore(row.el, cursor);
        }
        let above = 0;
        for (let i = 0; i < start; ++i)
            above += this.heightOf(this.order[i]);
        let below = 0;
        for (let i = end; i < this.order.length; ++i)
            below += this.heightOf(this.order[i]);
        this.list.style.paddingTop = `${above}px`;
        this.list.style.paddingBottom = `${below}px`;
        if (wanted.length > 0 && this.gap === undefined)
            this.gap = parseFloat(getComputedStyle(this.rows.get(wanted[0]).el).marginBottom) || 0;
        for (const id of wanted) {
            const h = this.rows.get(id).el.offsetHeight + this.gap;
            const old = this.heights.get(id);
            if (old !== h) {
                this.measured.sum += h - (old ?? 0);
                this.measured.count += old === undefined ? 1 : 0;
                this.heights.set(id, h);
            }
        }
        this.drawn = [start, end];
    }

    renderSummary() {
        setText(this.counts, formatCounts(this.store.counts()));
        const total = this.store.tasks.size;
        const text = total === 0 ? 'No tasks yet. Start one with the form.' : 'No tasks to show with this filter.';
        setText(this.empty, text);
        this.empty.classList.toggle('d-none', this.order.length > 0 || !this.store.synced);
    }
}
