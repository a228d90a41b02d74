// The "New task" form, built from GET /api/v1/task-types: one field per schema property,
// typed inputs, defaults filled in, and the API's field errors shown next to their fields.
import { fieldErrorsByName } from './errors.js';

function humanize(name) {
    const words = name.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
}

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

/**
 * Field names in display order: the schema's "x-order" list first (JSON objects lose the
 * order a type declared, e.g. Qt sorts keys), then required ones, then the rest as given.
 */
export function fieldOrder(schema) {
    const props = Object.keys(schema?.properties || {});
    const order = Array.isArray(schema?.['x-order']) ? schema['x-order'].filter((n) => props.includes(n)) : [];
    const required = new Set(Array.isArray(schema?.required) ? schema.required : []);
    const rest = props.filter((n) => !order.includes(n));
    return [...order, ...rest.filter((n) => required.has(n)), ...rest.filter((n) => !required.has(n))];
}

export class NewTaskForm {
    constructor({ form, typeSelect, typeDescription, title, params, error, submit, onSubmit }) {
        this.form = form;
        this.typeSelect = typeSelect;
        this.typeDescription = typeDescription;
        this.title = title;
        this.params = params;
        this.error = error;
        this.submit = submit;
        this.onSubmit = onSubmit;
        this.types = new Map();
        this.fields = new Map(); // param name -> {input, feedback, prop}
        this.typeSelect.addEventListener('change', () => this.renderParams());
        this.form.addEventListener('submit', (event) => {
            event.preventDefault();
            this.handleSubmit();
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
        for (const name of fieldOrder(schema))
            this.addField(name, props[name] || {}, required.has(name));
    }

    addField(name, prop, required) {
        const id = `param-${name}`;
        const wrap = document.createElement('div');
        wrap.className = 'mb-3';
        const labelText = prop.title || humanize(name);
        const feedback = document.createElement('div');
        feedback.className = 'invalid-feedback';
        feedback.id = `${id}-error`;
        const help = document.createElement('div');
        help.className = 'form-text';
        help.id = `${id}-help`;
        help.textContent = prop.description || '';
        let input;

        if (prop.type === 'boolean') {
            wrap.className = 'mb-3 form-check';
            input = document.createElement('input');
            input.type = 'checkbox';
            input.className = 'form-check-input';
            input.checked = prop.default === true;
            const label = document.createElement('label');
            label.className = 'form-check-label';
            label.htmlFor = id;
            label.textContent = labelText;
            input.id = id;
            wrap.append(input, label, feedback, help);
        } else {
            const label = document.createElement('label');
            label.className = 'form-label';
            label.htmlFor = id;
            label.textContent = labelText;
            // "(optional)" only where leaving it empty is a choice; a default fills the rest.
            if (!required && (prop.default === undefined || prop.default === null)) {
                const opt = document.createElement('span');
                opt.className = 'text-body-secondary';
                opt.textContent = ' (optional)';
                label.append(opt);
            }
            if (Array.isArray(prop.enum)) {
                input = document.createElement('select');
                input.className = 'form-select';
                if (!required) {
                    const none = document.createElement('option');
                    none.value = '';
                    none.textContent = '(default)'; // as the window's dialog says
                    input.append(none);
                }
                prop.enum.forEach((v, i) => {
                    const option = document.createElement('option');
                    option.value = String(i);
                    // "enumNames": the words for each value ("SHA-256" for sha256), as in the window.
                    option.textContent = Array.isArray(prop.enumNames) && typeof prop.enumNames[i] === 'string' ? prop.enumNames[i] : String(v);
                    if (prop.default !== undefined && v === prop.default)
                        option.selected = true;
                    input.append(option);
                });
            } else if (prop.type === 'array' || prop.type === 'object') {
                input = document.createElement('textarea');
                input.className = 'form-control font-monospace';
                input.rows = 3;
                input.spellcheck = false;
                if (this.isStringList(prop)) {
                    if (!prop.description)
                        help.textContent = 'One per line.';
                    if (Array.isArray(prop.default)) {
                        input.value = prop.default.join('\n');
                        input.rows = Math.min(8, Math.max(3, prop.default.length));
                    }
                } else {
                    if (!prop.description)
                        help.textContent = prop.type === 'array' ? 'A JSON list.' : 'A JSON object.';
                    if (prop.default !== undefined)
                        input.value = JSON.stringify(prop.default, null, 2);
                }
            } else {
                input = document.createElement('input');
                input.className = 'form-control';
                if (prop.type === 'integer' || prop.type === 'number') {
                    input.type = 'number';
                    input.inputMode = prop.type === 'integer' ? 'numeric' : 'decimal';
                    input.step = prop.type === 'integer' ? '1' : 'any';
                    if (Number.isFinite(prop.minimum))
                        input.min = String(prop.minimum);
                    if (Number.isFinite(prop.maximum))
                        input.max = String(prop.maximum);
                } else {
                    input.type = 'text';
                    input.autocomplete = 'off';
                    if (prop.format === 'file' || prop.format === 'directory' || prop.format === 'path') {
                        input.placeholder = prop.format === 'directory' ? '/path/to/folder' : '/path/to/file';
                        input.spellcheck = false;
                    }
                }
                if (prop.default !== undefined && prop.default !== null)
                    input.value = String(prop.default);
            }
            input.id = id;
            wrap.append(label, input, feedback, help);
        }
        input.name = name;
        if (required)
            input.setAttribute('aria-required', 'true');
        input.setAttribute('aria-describedby', `${feedback.id} ${help.id}`);
        this.params.append(wrap);
        this.fields.set(name, { input, feedback, prop, required });
    }

    isStringList(prop) {
        return prop.type === 'array' && prop.items && prop.items.type === 'string';
    }

    /** Reads the fields into params; local problems (bad JSON) come back as field errors. */
    collect() {
        const params = {};
        const errors = [];
        for (const [name, { input, prop, required }] of this.fields) {
            if (prop.type === 'boolean') {
                params[name] = input.checked;
                continue;
            }
            if (Array.isArray(prop.enum)) {
                if (input.value !== '')
                    params[name] = prop.enum[Number(input.value)];
                continue;
            }
            const raw = input.value;
            if (raw.trim() === '') {
                if (required && prop.type === 'string')
                    params[name] = raw; // let the server say what it needs
                continue;
            }
            if (prop.type === 'integer' || prop.type === 'number') {
                const n = Number(raw);
                if (!Number.isFinite(n))
                    errors.push({ field: `params.${name}`, message: 'Enter a number.' });
                else
                    params[name] = n;
            } else if (this.isStringList(prop)) {
                params[name] = raw.split('\n').map((s) => s.trim()).filter((s) => s !== '');
            } else if (prop.type === 'array' || prop.type === 'object') {
                try {
                    params[name] = JSON.parse(raw);
                } catch {
                    errors.push({ field: `params.${name}`, message: `This is not valid JSON (${prop.type === 'array' ? 'a list like [1, 2]' : 'an object like {"a": 1}'}).` });
                }
            } else {
                params[name] = raw;
            }
        }
        // A number input holding text reports an empty value: badInput tells us.
        for (const [name, { input }] of this.fields) {
            if (input.validity && input.validity.badInput)
                errors.push({ field: `params.${name}`, message: 'Enter a number.' });
        }
        return { params, errors };
    }

    clearErrors() {
        this.error.classList.add('d-none');
        this.error.textContent = '';
        for (const el of this.form.querySelectorAll('.is-invalid'))
            el.classList.remove('is-invalid');
        for (const el of this.form.querySelectorAll('.invalid-feedback'))
            el.textContent = '';
    }

    /** Clears the error shown, if it only said that Headway could not be reached. */
    clearNetworkError() {
        if (this.errorCode === 'network')
            this.clearErrors();
    }

    /** Shows an ApiError: field messages next to fields, the rest above the button. */
    showError(err) {
        this.clearErrors();
        this.errorCode = err.code || '';
        const byName = fieldErrorsByName(err.fields || []);
        let first = null;
        const unplaced = [];
        for (const [name, message] of byName) {
            let target = null;
            if (name === 'type')
                target = { input: this.typeSelect, feedback: document.getElementById('task-type-error') };
            else if (name === 'title')
                target = { input: this.title, feedback: document.getElementById('task-title-error') };
            else
                target = this.fields.get(name) || null;
            if (!target) {
                unplaced.push(`${name}: ${message}`);
                continue;
            }
            target.input.classList.add('is-invalid');
            target.feedback.textContent = message;
            first ??= target.input;
        }
        if (byName.size === 0 || unplaced.length > 0) {
            this.error.textContent = byName.size === 0 ? err.message : `${err.message} ${unplaced.join(' ')}`;
            this.error.classList.remove('d-none');
        }
        first?.focus();
    }

    async handleSubmit() {
        const type = this.currentType();
        if (!type)
            return;
        const { params, errors } = this.collect();
        if (errors.length > 0) {
            this.showError({ message: 'Some fields need fixing.', fields: errors });
            return;
        }
        const spec = { type: type.name, params };
        const title = this.title.value.trim();
        if (title)
            spec.title = title;
        this.clearErrors();
        try {
            await this.onSubmit(spec);
            this.title.value = '';
        } catch (err) {
            this.showError(err);
        }
    }
}
