// The "box is restarting" page: asks /healthz every 3 s. Once the app has stopped answering (the reboot began) and
// answers again, it goes back to the app; if it never stops answering within a minute, it says so (a demo host only
// simulates the reboot) and keeps waiting.
(() => {
    const box = document.getElementById("restarting");
    if (!box) return;
    const started = Date.now();
    let wentDown = false;

    function show(id) {
        for (const el of box.querySelectorAll("[id^='restart-']")) el.hidden = el.id !== id;
    }

    async function answers() {
        try {
            const response = await fetch("/healthz", { cache: "no-store" });
            return response.ok;
        } catch {
            return false;
        }
    }

    async function poll() {
        if (!(await answers())) {
            wentDown = true;
            show("restart-down");
        } else if (wentDown) {
            show("restart-back");
            location.href = "/";
            return;
        } else if (Date.now() - started > 60000) {
            show("restart-still-up");
        }
        setTimeout(poll, 3000);
    }

    setTimeout(poll, 3000);
})();
