// The admin's light or dark choice, kept in this browser (it is a matter of the screen, not of the account); without
// a choice the layout follows the system's preference.
const key = "acf-theme";

export function chosen() {
    try {
        return localStorage.getItem(key);
    } catch {
        return null; // storage switched off: follow the system
    }
}

export function choose(mode) {
    try {
        localStorage.setItem(key, mode);
    } catch {
        // storage switched off: the choice lasts until the page is reloaded
    }
}
