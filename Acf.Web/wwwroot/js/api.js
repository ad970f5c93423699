// The API explorer's requests come from the browser, as a script's would: with the login cookie and the antiforgery
// header that every cookie-authenticated API call needs (fetched once from /api/antiforgery).
let antiforgery = null;

async function antiforgeryHeader() {
    if (antiforgery === null) {
        const response = await fetch("/api/antiforgery", { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(`GET /api/antiforgery: ${response.status}`);
        antiforgery = await response.json();
    }
    return antiforgery;
}

export async function send(method, url, body) {
    const token = await antiforgeryHeader();
    const headers = { Accept: "application/json", [token.headerName]: token.token };
    const init = { method, headers, credentials: "same-origin" };
    if (method === "POST") {
        headers["Content-Type"] = "application/json";
        init.body = body;
    }
    const response = await fetch(url, init);
    return { status: response.status, contentType: response.headers.get("Content-Type") ?? "", text: await response.text() };
}

export async function copy(text) {
    if (!navigator.clipboard) return false;
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        return false;
    }
}
