// The "New task" form, built from GET /api/v1/task-types: one field per schema property,
// typed inputs, defaults filled in, a step editor for pipeline steps, and the API's field
// errors shown next to their fields (a step's next to that step's field). Before starting,
// the server checks the request (POST /api/v1/task-checks): every problem at once, and a
// warning for a path the task reads that is not there ("Start anyway" then starts).
import { splitField } from './errors.js';
import { buildField, fieldOrder, flagField, humanize, isStepList, readFields, unflagField } from './fields.js';
import { StepsEditor } from './steps.js';

export { fieldOrder };

/** The list of types from whatever shape the server uses: [..] or {types|task_types|items: [..]}. */
export function typesFromResponse(data) {
    if (Array.isArray(data))
        return data;
    if (data && typeof data === 'object') {
        for (const key of ['types', 'task_types', 'items', 'data']) {
            if (Array.isArray(data[key]))
                return data[key];
        }
    }
    return [];
}

const START = 'Start';
const START_ANYWAY = 'Start anyway';

export class NewTaskForm {
    constructor({ form, typeSelect, typeDescription, title, params, error, submit, onSubmit, onCheck }) {
        this.form = form;
        this.typeSelect = typeSelect;
        this.typeDescription = typeDescription;
        this.title = title;
        this.params = params;
        this.error = error;
        this.submit = submit;
        this.onSubmit = onSubmit;
        this.onCheck = onCheck; // spec -> {valid, errors, warnings}; optional
        this.types = new Map();
        this.fields = new Map(); // param name -> {input, feedback, warning, prop, label} or {editor}
        this.warnedFor = null; // the spec "Start anyway" applies to
        this.checkSeq = 0;
        this.typeSelect.addEventListener('change', () => this.renderParams());
        this.form.addEventListener('submit', (event) => {
            event.preventDefault();
            this.handleSubmit();
        });
        // Leaving a field (change) asks the server whether what the task reads is there.
        this.form.addEventListener('change', (event) => {
            if (event.target !== this.typeSelect)
                this.checkWarnings();
        });
        this.form.addEventListener('click', (event) => {
            if (event.target.closest && event.target.closest('.hw-step-list button'))
                this.resetStart();
        });
    }

    setTypes(types) {
        this.types.clear();
        this.typeSelect.replaceChildren();
        for (const t of types) {
            if (!t || typeof t.name !== 'string')
                continue;
            this.types.set(t.name, t);
            const option = document.createElement('option');
            option.value = t.name;
            option.textContent = t.title || humanize(t.name);
            this.typeSelect.append(option);
        }
        const hasTypes = this.types.size > 0;
        if (this.types.has('demo'))
            this.typeSelect.value = 'demo';
        this.typeSelect.disabled = !hasTypes;
        this.submit.disabled = !hasTypes;
        if (!hasTypes) {
            const option = document.createElement('option');
            option.textContent = 'No task types available';
            this.typeSelect.append(option);
        }
        this.renderParams();
    }

    currentType() {
        return this.types.get(this.typeSelect.value) || null;
    }

    renderParams() {
        this.clearErrors();
        this.resetStart();
        const type = this.currentType();
        this.typeDescription.textContent = type?.description || '';
        const legend = this.params.querySelector('legend');
        this.params.replaceChildren(legend);
        this.fields.clear();
        if (!type)
            return;
        const schema = type.schema || {};
        const props = schema.properties || {};
        const required = new Set(Array.isArray(schema.required) ? schema.required : []);
        for (const name of fieldOrder(schema)) {
            const prop = props[name] || {};
            if (isStepList(prop))
                this.addSteps(name, prop, required.has(name));
            else
                this.addField(name, prop, required.has(name));
        }
    }

    addField(name, prop, required) {
        const field = buildField(name, prop, required, `param-${name}`);
        this.params.append(field.wrap);
        this.fields.set(name, field);
    }

    addSteps(name, prop, required) {
        const group = document.createElement('fieldset');
        group.className = 'mb-3';
        group.id = `param-${name}`;
        const legend = document.createElement('legend');
        legend.className = 'form-label fs-6 mb-1';
        legend.textContent = prop.title || humanize(name);
        const feedback = document.createElement('div');
        feedback.className = 'invalid-feedback d-block';
        feedback.id = `param-${name}-error`;
        const warning = document.createElement('div');
        warning.className = 'form-text text-warning-emphasis d-none';
        warning.id = `param-${name}-warning`;
        const editor = new StepsEditor({ types: this.types, idBase: `param-${name}`, label: legend.textContent });
        group.setAttribute('aria-describedby', feedback.id);
        group.append(legend, editor.element, feedback, warning);
        this.params.append(group);
        // input: what takes focus and is marked when the list itself is wrong ("needs a step").
        this.fields.set(name, { editor, input: editor.add, feedback, warning, prop, required, label: legend.textContent });
    }

    /** Reads the fields into params; local problems (bad JSON) come back as field errors. */
    collect() {
        const plain = new Map([...this.fields].filter(([, f]) => !f.editor));
        const { params, errors } = readFields(plain, 'params.');
        for (const [name, f] of this.fields) {
            if (!f.editor)
                continue;
            const { steps, errors: stepErrors } = f.editor.collect();
            params[name] = steps;
            errors.push(...stepErrors.map((e) => ({ field: `params.${name}${e.field}`, message: e.message })));
        }
        return { params, errors };
    }

    spec() {
        const type = this.currentType();
        const { params, errors } = this.collect();
        const spec = { type: type?.name, params };
        const title = this.title.value.trim();
        if (title)
            spec.title = title;
        return { spec, errors };
    }

    clearErrors(kinds = ['error', 'warning']) {
        if (kinds.includes('error')) {
            this.error.classList.add('d-none');
            this.error.textContent = '';
            this.errorCode = '';
            for (const el of [this.typeSelect, this.title])
                el.classList.remove('is-invalid');
            for (const id of ['task-type-error', 'task-title-error']) {
                const el = document.getElementById(id);
                if (el)
                    el.textContent = '';
            }
        }
        for (const f of this.fields.values()) {
            if (f.editor) {
                f.editor.clear(kinds);
                if (kinds.includes('error'))
                    f.feedback.textContent = '';
                if (kinds.includes('warning'))
                    f.warning.classList.add('d-none');
            } else {
                unflagField(f, kinds);
            }
        }
    }

    /** Clears the error shown, if it only said that Headway could not be reached. */
    clearNetworkError() {
        if (this.errorCode === 'network')
            this.clearErrors(['error']);
    }

    /** Places {field, message} items next to their fields; returns the lines that fit nowhere. */
    place(items, kind) {
        const unplaced = [];
        for (const { field: path, message } of items) {
            const { top, rest } = splitField(path);
            let target = null;
            if (!path.startsWith('params.') && top === 'type')
                target = { input: this.typeSelect, feedback: document.getElementById('task-type-error') };
            else if (!path.startsWith('params.') && top === 'title')
                target = { input: this.title, feedback: document.getElementById('task-title-error') };
            else if (path.startsWith('params.'))
                target = this.fields.get(top) || null;
            if (target?.editor && rest && target.editor.show(rest, message, kind))
                continue;
            if (!target || (kind === 'warning' && !target.warning)) {
                unplaced.push(`${kind === 'warning' ? 'Warning: ' : ''}${path}: ${message}`);
                continue;
            }
            const text = rest ? `${rest.replace(/^\./, '')}: ${message}` : message;
            if (target.editor) {
                target.feedback.textContent = target.feedback.textContent ? `${target.feedback.textContent} ${text}` : text;
            } else if (kind === 'error') {
                target.input.classList.add('is-invalid');
                target.feedback.textContent = target.feedback.textContent ? `${target.feedback.textContent} ${text}` : text;
            } else {
                flagField(target, text, 'warning');
            }
        }
        return unplaced;
    }

    firstInvalid() {
        for (const f of [{ input: this.typeSelect }, { input: this.title }, ...this.fields.values()]) {
            if (f.editor) {
                const inner = f.editor.firstFlagged();
                if (inner)
                    return inner;
                if (f.feedback.textContent)
                    return f.input;
            } else if (f.input.classList.contains('is-invalid')) {
                return f.input;
            }
        }
        return null;
    }

    /** Shows an ApiError (and warnings): field messages next to fields, the rest above the button. */
    showError(err, warnings = []) {
        this.clearErrors();
        this.errorCode = err.code || '';
        const fields = err.fields || [];
        const unplaced = [...this.place(fields, 'error'), ...this.place(warnings, 'warning')];
        if (fields.length === 0 || unplaced.length > 0) {
            this.error.textContent = fields.length === 0 ? err.message : `${err.message} ${unplaced.join(' ')}`;
            this.error.classList.remove('d-none');
        }
        this.firstInvalid()?.focus();
    }

    showWarnings(warnings) {
        this.clearErrors(['warning']);
        const unplaced = this.place(warnings, 'warning');
        if (unplaced.length > 0 && this.error.classList.contains('d-none')) {
            this.error.textContent = unplaced.join(' ');
            this.error.classList.remove('d-none');
        }
    }

    resetStart() {
        this.warnedFor = null;
        this.submit.textContent = START;
    }

    /** Asks the server about warnings for the form as it stands; errors wait for Start. */
    async checkWarnings() {
        if (!this.onCheck || !this.currentType())
            return;
        const { spec } = this.spec();
        const key = JSON.stringify(spec);
        if (this.warnedFor !== key)
            this.resetStart();
        const seq = ++this.checkSeq;
        let verdict;
        try {
            verdict = await this.onCheck(spec);
        } catch {
            return; // the check is a courtesy: Start still asks the server
        }
        if (seq !== this.checkSeq || !verdict)
            return;
        this.showWarnings(Array.isArray(verdict.warnings) ? verdict.warnings : []);
    }

    async handleSubmit() {
        const type = this.currentType();
        if (!type)
            return;
        const { spec, errors } = this.spec();
        const key = JSON.stringify(spec);
        if (this.onCheck) {
            let verdict = null;
            this.checkSeq++;
            try {
                verdict = await this.onCheck(spec);
            } catch {
                verdict = null; // no answer: the submit below reports it
            }
            if (verdict) {
                // Every problem at once: the form's own, then the server's on the rest.
                const local = new Set(errors.map((e) => e.field));
                const all = [...errors, ...(verdict.errors || []).filter((e) => !local.has(e.field))];
                const warnings = verdict.warnings || [];
                if (all.length > 0) {
                    this.resetStart();
                    this.showError({ code: 'invalid_params', message: 'Some fields need fixing.', fields: all }, warnings);
                    return;
                }
                if (warnings.length > 0 && this.warnedFor !== key) {
                    this.clearErrors();
                    this.showWarnings(warnings);
                    this.warnedFor = key;
                    this.submit.textContent = START_ANYWAY;
                    this.firstWarned()?.focus();
                    return;
                }
            }
        }
        if (errors.length > 0) {
            this.showError({ message: 'Some fields need fixing.', fields: errors });
            return;
        }
        this.clearErrors();
        try {
            await this.onSubmit(spec);
            this.title.value = '';
            this.resetStart();
        } catch (err) {
            this.showError(err);
        }
    }

    firstWarned() {
        const warned = this.form.querySelector('.hw-field-warning:not(.d-none), .hw-step-summary.text-warning-emphasis');
        if (!warned)
            return null;
        const wrap = warned.closest('.mb-3, .hw-step');
        return wrap?.querySelector('input, select, textarea') || null;
    }
}
