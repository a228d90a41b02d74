// A heading that folds its panel away on narrow screens: there the "New task" form starts
// closed, so the task list is on the first screen. Wide screens (the `wide` media query, Bootstrap
// lg) always show the panel and hide the toggle, both in CSS: the two-column layout never changes
// and nothing jumps when the script starts. The DOM order stays the visual order; the button
// follows the ARIA disclosure pattern (aria-expanded, aria-controls).

const OPEN = 'hw-open';

export class Disclosure {
    /**
     * button: the toggle (a <button> inside the heading, aria-controls = panel's id).
     * panel: what it shows and hides (CSS hides it below lg unless it has the hw-open class).
     * wide: a MediaQueryList that is true when the panel is always shown (or null).
     * doc: the document, for the focused element (tests pass a stand-in).
     */
    constructor({ button, panel, wide = null, doc = globalThis.document }) {
        this.button = button;
        this.panel = panel;
        this.wide = wide;
        this.doc = doc;
        this.setOpen(button.getAttribute('aria-expanded') === 'true');
        button.addEventListener('click', () => this.setOpen(!this.open));
        // Rotating a tablet or narrowing a window must not hide the field being typed in. Focus
        // in the panel (possible only while it shows) opens it at once: Chromium may blur a field
        // hidden by the narrower layout before the media query's change event runs.
        panel.addEventListener('focusin', () => {
            if (!this.open)
                this.setOpen(true);
        });
        wide?.addEventListener('change', () => {
            if (!wide.matches && this.panel.contains(this.doc?.activeElement))
                this.setOpen(true);
        });
    }

    /** True when the panel is shown (always on wide screens). */
    get visible() {
        return this.open || !!this.wide?.matches;
    }

    /** Opens or closes the panel (on wide screens it stays shown either way). */
    setOpen(open) {
        this.open = !!open;
        this.button.setAttribute('aria-expanded', String(this.open));
        this.panel.classList.toggle(OPEN, this.open);
    }
}
