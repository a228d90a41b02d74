import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disclosure } from '../../../web/js/disclosure.js';

// Just enough of the DOM for the disclosure: attributes, classes, listeners, contains().
class FakeElement extends EventTarget {
    constructor(children = []) {
        super();
        this.attrs = new Map();
        this.classes = new Set();
        this.children = children;
        this.classList = {
            toggle: (c, on) => (on ? this.classes.add(c) : this.classes.delete(c)),
            contains: (c) => this.classes.has(c),
        };
    }
    getAttribute(n) { return this.attrs.has(n) ? this.attrs.get(n) : null; }
    setAttribute(n, v) { this.attrs.set(n, String(v)); }
    contains(el) { return el === this || this.children.some((c) => c === el || c.contains(el)); }
    click() { this.dispatchEvent(new Event('click')); }
}

class FakeMedia extends EventTarget {
    constructor(matches) { super(); this.matches = matches; }
    set(matches) { this.matches = matches; this.dispatchEvent(new Event('change')); }
}

function make({ expanded = 'false', wide = false } = {}) {
    const field = new FakeElement();
    const outside = new FakeElement();
    const button = new FakeElement();
    button.setAttribute('aria-expanded', expanded);
    const panel = new FakeElement([field]);
    const media = new FakeMedia(wide);
    const doc = { activeElement: null };
    const d = new Disclosure({ button, panel, wide: media, doc });
    return { d, button, panel, media, doc, field, outside };
}

test('starts as the markup says and toggles on click', () => {
    const { d, button, panel } = make();
    assert.equal(d.open, false);
    assert.equal(d.visible, false);
    assert.equal(panel.classList.contains('hw-open'), false);
    button.click();
    assert.equal(d.open, true);
    assert.equal(button.getAttribute('aria-expanded'), 'true');
    assert.equal(panel.classList.contains('hw-open'), true);
    button.click();
    assert.equal(button.getAttribute('aria-expanded'), 'false');
    assert.equal(panel.classList.contains('hw-open'), false);
    assert.equal(make({ expanded: 'true' }).d.open, true);
});

test('on wide screens the panel is visible whatever its state', () => {
    const { d, media } = make({ wide: true });
    assert.equal(d.open, false);
    assert.equal(d.visible, true);
    media.set(false);
    assert.equal(d.visible, false);
});

test('narrowing opens the panel only when it holds the focus', () => {
    const { d, media, doc, field, outside } = make({ wide: true });
    doc.activeElement = outside;
    media.set(false);
    assert.equal(d.open, false, 'focus elsewhere: stays folded');
    media.set(true);
    doc.activeElement = field;
    media.set(false);
    assert.equal(d.open, true, 'the focused field stays visible');
});

test('focus moving into the panel (on a wide screen) opens it, so narrowing keeps it shown', () => {
    const { d, button, panel, media } = make({ wide: true });
    assert.equal(d.open, false);
    panel.dispatchEvent(new Event('focusin'));
    assert.equal(d.open, true);
    assert.equal(button.getAttribute('aria-expanded'), 'true');
    media.set(false); // narrowed: still open, whatever the focus is by then
    assert.equal(d.visible, true);
});
