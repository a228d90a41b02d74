// One schema property as a form field (label, typed input, error and warning lines, help), and
// reading it back. Used by the New task form and, per step, by the pipeline step editor.

export function humanize(name) {
    const words = name.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').trim();
    return words.charAt(0).toUpperCase() + words.slice(1);
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

export function isStringList(prop) {
    return prop.type === 'array' && prop.items && prop.items.type === 'string';
}

/** A pipeline's list of steps, edited step by step (StepsEditor), not as JSON. */
export function isStepList(prop) {
    return prop.type === 'array' && prop['x-editor'] === 'steps';
}

/**
 * Builds the field for one property. idBase makes ids unique ("param-path", "step-1-path").
 * Returns {wrap, input, feedback, warning, prop, required, label}; the caller appends wrap.
 */
export function buildField(name, prop, required, idBase) {
    const id = idBase;
    const wrap = document.createElement('div');
    wrap.className = 'mb-3';
    const labelText = prop.title || humanize(name);
    const feedback = document.createElement('div');
    feedback.className = 'invalid-feedback';
    feedback.id = `${id}-error`;
    // A warning does not make the field invalid: the task may still start.
    const warning = document.createElement('div');
    warning.className = 'form-text text-warning-emphasis d-none hw-field-warning';
    warning.id = `${id}-warning`;
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
        wrap.append(input, label, feedback, warning, help);
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
                option.textContent = Array.isArray(prop.enumNames) && typeof prop.enumNames[i] === 'string'
                    ? prop.enumNames[i] : String(v);
                if (prop.default !== undefined && v === prop.default)
                    option.selected = true;
                input.append(option);
            });
        } else if (prop.type === 'array' || prop.type === 'object') {
            input = document.createElement('textarea');
            input.className = 'form-control font-monospace';
            input.rows = 3;
            input.spellcheck = false;
            if (isStringList(prop)) {
                if (!prop.description)
                    help.textContent = 'One per line.';
                else
                    help.textContent = `${prop.description} One per line.`;
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
        wrap.append(label, input, feedback, warning, help);
    }
    input.name = name;
    if (required)
        input.setAttribute('aria-required', 'true');
    input.setAttribute('aria-describedby', `${feedback.id} ${warning.id} ${help.id}`);
    return { wrap, input, feedback, warning, prop, required, label: labelText };
}

/**
 * Reads fields (name -> field) into params; local problems (bad JSON, not a number) come back
 * as {field, message} named `${prefix}${name}`, and their fields are left out.
 */
export function readFields(fields, prefix = '') {
    const params = {};
    const errors = [];
    for (const [name, { input, prop, required }] of fields) {
        if (prop.type === 'boolean') {
            params[name] = input.checked;
            continue;
        }
        if (Array.isArray(prop.enum)) {
            if (input.value !== '')
                params[name] = prop.enum[Number(input.value)];
            continue;
        }
        // A number input holding text reports an empty value: badInput tells us.
        if (input.validity && input.validity.badInput) {
            errors.push({ field: `${prefix}${name}`, message: 'Enter a number.' });
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
                errors.push({ field: `${prefix}${name}`, message: 'Enter a number.' });
            else
                params[name] = n;
        } else if (isStringList(prop)) {
            params[name] = raw.split('\n').map((s) => s.trim()).filter((s) => s !== '');
        } else if (prop.type === 'array' || prop.type === 'object') {
            try {
                params[name] = JSON.parse(raw);
            } catch {
                errors.push({ field: `${prefix}${name}`, message: `This is not valid JSON (${prop.type === 'array' ? 'a list like [1, 2]' : 'an object like {"a": 1}'}).` });
            }
        } else {
            params[name] = raw;
        }
    }
    return { params, errors };
}

/** Shows an error (kind "error") or a warning next to a field. */
export function flagField(field, message, kind) {
    if (kind === 'error') {
        field.input.classList.add('is-invalid');
        field.feedback.textContent = field.feedback.textContent ? `${field.feedback.textContent} ${message}` : message;
    } else {
        field.warning.textContent = field.warning.textContent ? `${field.warning.textContent} ${message}` : `Warning: ${message}`;
        field.warning.classList.remove('d-none');
    }
}

export function unflagField(field, kinds = ['error', 'warning']) {
    if (kinds.includes('error')) {
        field.input.classList.remove('is-invalid');
        field.feedback.textContent = '';
    }
    if (kinds.includes('warning')) {
        field.warning.textContent = '';
        field.warning.classList.add('d-none');
    }
}
