// "Copy citation" beside every heading with a fixed id (marked data-citable by the build):
// copies one Markdown line a reader can paste into an answer, with the claim, its permalink
// and the library versions the page was verified with.
function titleOf(heading) {
  const copy = heading.cloneNode(true);
  copy.querySelectorAll(".headerlink, .cite-button").forEach((node) => node.remove());
  return copy.textContent.trim();
}

function citationFor(heading) {
  const title = titleOf(heading);
  // The claim: the first sentence of the section's first paragraph, else the heading.
  let next = heading.nextElementSibling;
  while (next && next.tagName !== "P" && !/^H[1-6]$/.test(next.tagName)) next = next.nextElementSibling;
  const paragraph = next && next.tagName === "P" ? next.textContent.replace(/\s+/g, " ").trim() : "";
  const claim = (paragraph.match(/^.*?[.!?](?=\s|$)/) || [paragraph])[0] || title;
  const canonical = document.querySelector('link[rel="canonical"]');
  const base = canonical ? canonical.href : location.href.split("#")[0];
  // The stamp's libraries only: the stamp also links the page's notebook.
  const libraries = [...document.querySelectorAll(".verified-with__library")]
    .map((library) => library.textContent.replace(/\s+/g, " ").trim());
  const versions = libraries.length ? `Verified with ${libraries.join(", ")}` : "";
  return `${claim} [${document.title.split(" - ")[0]}: ${title}](${base}#${heading.id}) (${versions})`;
}

function addCiteButtons() {
  document.querySelectorAll("[data-citable]").forEach((heading) => {
    if (heading.querySelector(".cite-button")) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "cite-button";
    button.textContent = "Copy citation";
    // The accessible name starts with the visible text, as speech-input users say it.
    button.setAttribute("aria-label", `Copy citation: ${titleOf(heading)}`);
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(citationFor(heading));
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = "Copy citation"; }, 2000);
    });
    heading.appendChild(button);
  });
}

document$.subscribe(addCiteButtons);
