// The answer of a save is brought into view: the first of these elements the page shows (an error before a result).
export function show(ids) {
    for (const id of ids) {
        const element = document.getElementById(id);
        if (element) {
            element.scrollIntoView({ block: "nearest", behavior: "smooth" });
            return;
        }
    }
}
