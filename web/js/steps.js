// A pipeline's steps as a list of small forms: each step has its type, an optional label and
// its type's own fields, with Move up / Move down / Remove, and "Add step" below. Messages
// from the server ("[1].params.source") stand next to the step's field and are named on the
// step's own line ("Step 2 (copy): Source: …").
import { buildField, fieldOrder, flagField, humanize, readFields, unflagField } from './fields.js';
import { stepMessage, stepPath, splitField } from './errors.js';

export class StepsEditor {
    /** types: Map name -> type (the page's task types); idBase: "param-steps". */
    constructor({ types, idBase, label }) {
        // No nested pipelines, nothing another program runs (Celery).
        this.types = [...types.values()].filter((t) => t.name !== 'pipeline' && !t.external);
        this.idBase = idBase;
        this.steps = [];
        this.element = document.createElement('div');
        this.element.className = 'hw-step-list';
        this.list = document.createElement('ol');
        this.list.className = 'list-unstyled mb-2';
        this.list.setAttribute('aria-label', label);
        this.add = document.createElement('button');
        this.add.type = 'button';
        this.add.className = 'btn btn-outline-secondary btn-sm';
        this.add.id = `${idBase}-add`;
        this.add.textContent = 'Add step';
        this.add.addEventListener('click', () => {
            const step = this.addStep(this.steps.at(-1)?.type || this.types[0]?.name);
            step.typeSelect.focus();
        });
        this.element.append(this.list, this.add);
        this.seq = 0; // ids stay unique while steps move
    }

    addStep(typeName) {
        const uid = `${this.idBase}-${this.seq++}`;
        const item = document.createElement('li');
        item.className = 'card mb-2 hw-step';
        const body = document.createElement('div');
        body.className = 'card-body p-2';
        const heading = document.createElement('div');
        heading.className = 'd-flex flex-wrap align-items-center gap-2 mb-2';
        const title = document.createElement('span');
        title.className = 'fw-semibold text-nowrap hw-step-title';
        const typeSelect = document.createElement('select');
        typeSelect.className = 'form-select form-select-sm flex-grow-1 hw-step-type';
        typeSelect.id = `${uid}-type`;
        for (const t of this.types) {
            const option = document.createElement('option');
            option.value = t.name;
            option.textContent = t.title || humanize(t.name);
            typeSelect.append(option);
        }
        if (typeName)
            typeSelect.value = typeName;
        const labelInput = document.createElement('input');
        labelInput.type = 'text';
        labelInput.className = 'form-control form-control-sm mb-2';
        labelInput.placeholder = 'Label (optional)';
        labelInput.autocomplete = 'off';
        labelInput.id = `${uid}-label`;
        const button = (text, name) => {
            const b = document.createElement('button');
            b.type = 'button';
            b.className = 'btn btn-outline-secondary btn-sm';
            b.textContent = text;
            b.dataset.action = name;
            return b;
        };
        const up = button('↑', 'up');
        const down = button('↓', 'down');
        const remove = button('Remove', 'remove');
        // The buttons wrap as one group when the column is narrow.
        const buttons = document.createElement('div');
        buttons.className = 'd-flex gap-2 ms-auto';
        buttons.append(up, down, remove);
        heading.append(title, typeSelect, buttons);
        const summary = document.createElement('div');
        summary.className = 'small d-none hw-step-summary';
        summary.id = `${uid}-summary`;
        summary.setAttribute('role', 'status');
        const fieldsBox = document.createElement('div');
        body.append(heading, labelInput, summary, fieldsBox);
        item.append(body);
        item.setAttribute('aria-describedby', summary.id);

        const step = { uid, item, title, typeSelect, labelInput, up, down, remove, summary, fieldsBox, fields: new Map(), get type() { return typeSelect.value; } };
        typeSelect.addEventListener('change', () => this.renderFields(step));
        up.addEventListener('click', () => this.move(step, -1));
        down.addEventListener('click', () => this.move(step, 1));
        remove.addEventListener('click', () => this.removeStep(step));
        this.steps.push(step);
        this.list.append(item);
        this.renderFields(step);
        this.renumber();
        return step;
    }

    renderFields(step) {
        step.fieldsBox.replaceChildren();
        step.fields.clear();
        this.clearStep(step);
        const type = this.types.find((t) => t.name === step.type);
        const schema = type?.schema || {};
        const props = schema.properties || {};
        const required = new Set(Array.isArray(schema.required) ? schema.required : []);
        for (const name of fieldOrder(schema)) {
            const field = buildField(name, props[name] || {}, required.has(name), `${step.uid}-${name}`);
            step.fieldsBox.append(field.wrap);
            step.fields.set(name, field);
        }
    }

    removeStep(step) {
        const i = this.steps.indexOf(step);
        if (i < 0)
            return;
        this.steps.splice(i, 1);
        step.item.remove();
        this.renumber();
        (this.steps[Math.min(i, this.steps.length - 1)]?.typeSelect || this.add).focus();
    }

    move(step, by) {
        const i = this.steps.indexOf(step);
        const to = i + by;
        if (i < 0 || to < 0 || to >= this.steps.length)
            return;
        this.steps.splice(i, 1);
        this.steps.splice(to, 0, step);
        this.list.insertBefore(step.item, this.steps[to + 1]?.item || null);
        this.renumber();
        // Focus stays on the button pressed, unless the step reached the end it moved to.
        const pressed = by < 0 ? step.up : step.down;
        (pressed.disabled ? step.typeSelect : pressed).focus();
    }

    renumber() {
        this.steps.forEach((s, i) => {
            const n = i + 1;
            s.title.textContent = `Step ${n}`;
            s.item.dataset.index = String(i);
            s.typeSelect.setAttribute('aria-label', `Step ${n} type`);
            s.labelInput.setAttribute('aria-label', `Step ${n} label`);
            s.up.setAttribute('aria-label', `Move step ${n} up`);
            s.down.setAttribute('aria-label', `Move step ${n} down`);
            s.remove.setAttribute('aria-label', `Remove step ${n}`);
            s.up.disabled = i === 0;
            s.down.disabled = i === this.steps.length - 1;
        });
    }

    /** {steps, errors}: errors named "[i].params.x" (relative to the steps field). */
    collect() {
        const errors = [];
        const steps = this.steps.map((s, i) => {
            const { params, errors: own } = readFields(s.fields, `[${i}].params.`);
            errors.push(...own);
            const step = { type: s.type, params };
            const label = s.labelInput.value.trim();
            if (label)
                step.label = label;
            return step;
        });
        return { steps, errors };
    }

    clearStep(step, kinds = ['error', 'warning']) {
        for (const f of step.fields.values())
            unflagField(f, kinds);
        if (kinds.includes('error'))
            step.typeSelect.classList.remove('is-invalid');
        if (kinds.includes(step.summary.dataset.kind)) {
            step.summary.textContent = '';
            step.summary.className = 'small d-none hw-step-summary';
            delete step.summary.dataset.kind;
        }
    }

    clear(kinds) {
        for (const s of this.steps)
            this.clearStep(s, kinds);
    }

    /** Places one message named "[i]..." (kind "error" or "warning"); false when no step fits. */
    show(rest, message, kind) {
        const path = stepPath(rest);
        const step = path && this.steps[path.index];
        if (!step)
            return false;
        let where = '';
        if (path.sub.startsWith('params.')) {
            const { top } = splitField(path.sub);
            const field = step.fields.get(top);
            if (field) {
                flagField(field, message, kind);
                where = field.label;
            } else {
                where = path.sub.slice('params.'.length);
            }
        } else if (path.sub === 'type') {
            where = 'Type';
            if (kind === 'error')
                step.typeSelect.classList.add('is-invalid');
        } else if (path.sub) {
            where = humanize(path.sub);
        }
        // Errors stay in front of warnings on the step's own line.
        if (kind === 'warning' && step.summary.dataset.kind === 'error')
            return true;
        const line = `${kind === 'warning' ? 'Warning: ' : ''}${stepMessage(path.index, step.type, where, message)}`;
        step.summary.textContent = step.summary.dataset.kind === kind && step.summary.textContent ? `${step.summary.textContent}\n${line}` : line;
        step.summary.dataset.kind = kind;
        step.summary.className = `small hw-step-summary mb-2 ${kind === 'error' ? 'text-danger-emphasis' : 'text-warning-emphasis'}`;
        return true;
    }

    firstFlagged() {
        for (const s of this.steps) {
            if (s.summary.dataset.kind === 'error')
                return [...s.fields.values()].find((f) => f.input.classList.contains('is-invalid'))?.input || s.typeSelect;
        }
        return null;
    }
}
