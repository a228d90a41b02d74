// The task list: one keyed row per task, touched only when its task changed, and every DOM
// write of a batch done in one animation frame (1,000 tasks updating stay smooth).
import { clampPercent, formatAttempt, formatCounts, lastStderrLine, formatEta, formatPercent, formatProcessed, formatSpeed, formatStep, stateLabel } from './format.js';
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
        // The fold reads GET /api/v1/tasks/ID/output when opened, and again while open when the
        // task printed more: the lines in the order printed, stderr marked.
        this.output.addEventListener('toggle', () => {
            if (this.output.open)
                this.loadOutput();
        });
        this.outputLoading = false;
        this.outputStale = false;
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
            const cause = lastStderrLine(t.output, t.output_stderr);
            error = cause ? `${t.error.message} Cause: ${cause}` : t.error.message;
        }
        else if (t.state === 'retrying')
            error = t.error?.message ? `Will try again: ${t.error.message}` : 'Will try again shortly.';
        setText(this.error, error);
        // What a command printed (its end), folded under "Output".
        const output = typeof t.output === 'string' ? t.output : '';
        if (last.output !== output) {
            this.output.hidden = output === '';
            last.output = output;
            if (this.output.open)
                this.loadOutput();
        }

        this.renderButtons(t, stale);
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

export class TaskListView {
    constructor({ list, empty, counts, template, store }) {
        this.list = list;
        this.empty = empty;
        this.counts = counts;
        this.template = template;
        this.store = store;
        this.rows = new Map();
        this.dirty = new Set();
        this.gone = new Set();
        this.reorder = false;
        this.frame = 0;
        this.filter = 'all';
        this.flushes = 0; // frames that wrote to the DOM (tests read it)
        this.stale = false;
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
            if (!this.rows.has(id))
                this.reorder = true;
        }
        if (result.removed.size > 0 || result.full)
            this.reorder = true;
        this.schedule();
    }

    setFilter(filter) {
        this.filter = filter;
        for (const id of this.rows.keys())
            this.dirty.add(id);
        this.schedule();
    }

    rowFor(id) {
        return this.rows.get(id);
    }

    /** Marks a row busy (an action in flight): its buttons stay disabled until done. */
    setBusy(id, action) {
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
        }
        this.gone.clear();
        for (const id of this.dirty) {
            const task = this.store.tasks.get(id);
            if (!task)
                continue;
            let row = this.rows.get(id);
            if (!row) {
                row = new Row(this.template, id);
                this.rows.set(id, row);
            }
            row.render(task, this.stale);
            row.el.classList.toggle('hw-hidden', !matchesFilter(this.filter, task.state));
        }
        this.dirty.clear();
        if (this.reorder) {
            this.reorder = false;
            this.placeRows();
        }
        this.renderSummary();
        this.lastFlushMs = performance.now() - started;
        this.worstFlushMs = Math.max(this.worstFlushMs || 0, this.lastFlushMs);
    }

    // Moves only the rows that are out of place (new ones usually go to the top).
    placeRows() {
        let cursor = this.list.firstElementChild;
        for (const task of this.store.ordered()) {
            const row = this.rows.get(task.id);
            if (!row)
                continue;
            if (row.el === cursor)
                cursor = cursor.nextElementSibling;
            else
                this.list.insertBefore(row.el, cursor);
        }
    }

    renderSummary() {
        setText(this.counts, formatCounts(this.store.counts()));
        let visible = 0;
        for (const t of this.store.tasks.values()) {
            if (matchesFilter(this.filter, t.state))
                visible += 1;
        }
        const total = this.store.tasks.size;
        const text = total === 0 ? 'No tasks yet. Start one with the form.' : 'No tasks to show with this filter.';
        setText(this.empty, text);
        this.empty.classList.toggle('d-none', visible > 0 || !this.store.synced);
    }
}
