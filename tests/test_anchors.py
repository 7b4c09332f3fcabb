"""Citations stay valid: no published page or fixed anchor disappears without a redirect or an
alias, and every one the site publishes is in the registry (`make anchors` adds them)."""
import re

from tests.anchors import published_now, registered


def test_every_published_page_and_anchor_still_resolves(built_site):
    missing = []
    for entry in registered():
        page, _, anchor = entry.partition("#")
        html_file = built_site / page.strip("/") / "index.html"
        if not html_file.is_file():
            missing.append(f"{entry}: the page is gone (add a redirect under extra.redirects)")
            continue
        html = html_file.read_text(encoding="utf-8")
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', html)
        if target:  # a redirect: the anchor must live on the page it sends readers to
            html = (html_file.parent / target[1] / "index.html").resolve().read_text(encoding="utf-8")
        if anchor and f'id="{anchor}"' not in html:
            missing.append(f"{entry}: the anchor is gone (keep it with data-was=\"{anchor}\")")
    assert not missing, "\n".join(missing)


def test_every_page_and_fixed_anchor_is_in_the_registry():
    unregistered = sorted(set(published_now()) - set(registered()))
    assert not unregistered, "not in published-anchors.txt (run `make anchors`):\n" + "\n".join(unregistered)


def test_a_renamed_heading_keeps_its_old_anchor_with_data_was():
    """The alias mechanism the message above asks for, through the site's own Markdown
    extensions and hook: the old id still lands on the renamed heading."""
    import markdown

    from hooks.page_html import with_anchor_aliases

    source = "## Gate order of the LSTM { #lstm-gate-order data-was=\"gate-order order\" }\n\nText.\n"
    html = with_anchor_aliases(markdown.markdown(source, extensions=["attr_list", "toc"]))
    assert re.search(r'<span id="gate-order"></span><span id="order"></span><h2 [^>]*id="lstm-gate-order"', html), html
