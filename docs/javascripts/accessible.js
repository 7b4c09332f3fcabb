// Names and keyboard access for parts Material renders without them; the browser tests run
// axe-core on every page and fail on what this misses. Runs on every page load, and again
// once images have loaded and on resize, since both change what scrolls sideways.

// A block drawn lazily (content-visibility in extra.css) reports its estimated width while it
// is off screen; what it holds reports its real one.
function overflows(region) {
  return Math.max(region.scrollWidth, region.firstElementChild?.scrollWidth ?? 0) > region.clientWidth;
}

function makeAccessible() {
  // Each code block's copy/annotation toolbar is a <nav>: landmarks need distinct names.
  document.querySelectorAll(".md-code__nav").forEach((nav, index) => {
    nav.setAttribute("aria-label", `Code block ${index + 1} tools`);
  });
  // A region that scrolls sideways (wide table, equation, code) must be reachable by keyboard.
  const regions =
    ".md-typeset__scrollwrap, .md-typeset table, .md-typeset div.arithmatex, .md-typeset pre > code";
  const kinds = { "div.arithmatex": "Equation", "code": "Code block" };
  document.querySelectorAll(regions).forEach((region, index) => {
    if (overflows(region) && !region.hasAttribute("tabindex")) {
      region.tabIndex = 0;
      region.setAttribute("role", "region");  // a landmark: its name must be unique
      const headers = [...region.querySelectorAll("th")].map((th) => th.textContent.trim());
      const kind = Object.entries(kinds).find(([selector]) => region.matches(selector))?.[1] ?? "Table";
      const name = headers.length ? `${kind} ${index + 1}: ${headers.join(", ")}` : `${kind} ${index + 1}`;
      region.setAttribute("aria-label", name);
    }
  });
  document.documentElement.dataset.accessible = "ready";  // the browser tests wait for this
}

document$.subscribe(makeAccessible);
window.addEventListener("load", makeAccessible);
window.addEventListener("resize", makeAccessible);
