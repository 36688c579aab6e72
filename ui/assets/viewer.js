// Source viewer: any link <a class="rag-cite" href="#cite?source=…&start=…&end=…"> on the page
// (chat, find results, briefing, documents) opens that span of the indexed document here.
// `element`, `props` and `server` are provided by Gradio's gr.HTML js_on_load.
const open = async (source, start, end) => {
  element.classList.add("rag-loading");
  try {
    props.value = await server.show_source([source, start, end]);
  } finally {
    element.classList.remove("rag-loading");
  }
  // Let the template re-render before scrolling the highlighted span into the middle.
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const hit = element.querySelector("#rag-hit");
    const box = element.querySelector(".rag-viewer-text");
    if (hit && box) {
      box.scrollTop = Math.max(0, hit.offsetTop - box.offsetTop - box.clientHeight / 3);
    }
    element.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }));
};

window.ragOpenSource = open;
if (!window.ragViewerInstalled) {
  window.ragViewerInstalled = true;
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a.rag-cite");
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();
    const query = new URLSearchParams((link.getAttribute("href") || "").split("?")[1] || "");
    window.ragOpenSource(query.get("source") || "", Number(query.get("start")), Number(query.get("end")));
  }, true);
}
