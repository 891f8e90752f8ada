"""Attack cases for the one HTML allowlist (forum/text.py), and what it keeps.

Every attack string goes through `render_markdown` and the output is parsed
with the standard library's HTMLParser: each element and attribute must be on
the allowlist, each href must be http(s), mailto or a root-relative path, each
link must carry rel="nofollow ugc noopener", and no `<` in the raw output may
open anything but an allowed tag. The same attacks go through `render_guide`
(guides' section headings) against its slightly wider list. Then positive cases show ordinary Markdown
still renders, and excerpts come out as clean plain text.
"""
import html
import re
import unicodedata
from html.parser import HTMLParser

import pytest

from forum.text import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    GUIDE_ATTRIBUTES,
    GUIDE_SECTION_ID,
    GUIDE_TAGS,
    excerpt,
    normalize_text,
    render_guide,
    render_markdown,
)

ATTACKS = {
    "script-tag": "<script>alert(1)</script>",
    "script-src-upper": "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "script-split": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script-nul-split": "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "nul-before-script": "\x00<script>alert(1)</script>",
    "breakout-quote": '"><script>alert(1)</script>',
    "cheat-sheet-locator": "'';!--\"<XSS>=&{()}",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-javascript": "<IMG SRC=\"javascript:alert('XSS');\">",
    "body-onload": "<body onload=alert(1)>",
    "div-onmouseover": '<div onmouseover="alert(1)">hover</div>',
    "input-autofocus": "<input onfocus=alert(1) autofocus>",
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    "inline-style": '<div style="background:url(javascript:alert(1))">x</div>',
    "raw-anchor-javascript": '<a href="javascript:alert(1)">x</a>',
    "raw-anchor-target": '<a href="https://ok.example" target="_blank">x</a>',
    "raw-anchor-tab-entity": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "raw-anchor-leading-controls": '<a href=" &#14;  javascript:alert(1)">x</a>',
    "md-javascript": "[x](javascript:alert(1))",
    "md-javascript-upper": "[x](JAVASCRIPT:alert(1))",
    "md-javascript-mixed": "[x](JaVaScRiPt:alert(1))",
    "md-javascript-colon-entity": "[x](javascript&#58;alert(1))",
    "md-javascript-decimal-entities": (
        "[x](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))"
    ),
    "md-javascript-padded-entities": (
        "[x](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114"
        "&#0000105&#0000112&#0000116&#0000058alert(1))"
    ),
    "md-javascript-hex-entity": "[x](&#x6A;avascript:alert(1))",
    "md-javascript-tab-entity": "[x](jav&#x09;ascript:alert(1))",
    "md-javascript-tab": "[x](java\tscript:alert(1))",
    "md-javascript-newline-angle": "[x](<java\nscript:alert(1)>)",
    "md-javascript-percent-newline": "[x](java%0ascript:alert(1))",
    "md-javascript-leading-space": "[x]( javascript:alert(1))",
    "md-javascript-control-prefix": "[x](\x01javascript:alert(1))",
    "md-javascript-nul-inside": "[x](javascript\x00:alert(1))",
    "md-javascript-angle": "[x](<javascript:alert(1)>)",
    "md-javascript-comment-trick": "[x](javascript://%0aalert(1))",
    "md-javascript-fullwidth": "[x](\uff4a\uff41\uff56\uff41\uff53\uff43\uff52\uff49\uff50\uff54:alert(1))",
    "md-vbscript": "[x](vbscript:msgbox(1))",
    "md-data-html": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-data-upper": "[x](DATA:text/html,<script>alert(1)</script>)",
    "md-file": "[x](file:///etc/passwd)",
    "md-protocol-relative": "[x](//evil.example/)",
    "md-backslash-host": "[x](/\\evil.example)",
    "md-double-backslash": "[x](\\\\evil.example)",
    "md-title-breakout": '[x](https://ok.example "t\\" onmouseover=\\"alert(1)")',
    "md-href-breakout": '[x](https://ok.example/"onmouseover="alert(1))',
    "md-href-script": "[x](https://ok.example/<script>)",
    "md-link-text-img": "[<img src=x onerror=alert(1)>](https://ok.example)",
    "md-emphasis-img": "*<img src=x onerror=alert(1)>*",
    "autolink-javascript": "<javascript:alert(1)>",
    "autolink-javascript-upper": "<JAVASCRIPT:alert(1)>",
    "autolink-vbscript": "<vbscript:msgbox(1)>",
    "autolink-data": "<data:text/html,alert(1)>",
    "autolink-breakout": '<http://ok.example/?q="><script>alert(1)</script>>',
    "image-javascript": "![x](javascript:alert(1))",
    "image-svg-data": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "image-tracker": "![x](https://tracker.example/pixel.gif)",
    "image-reference": "![x][img]\n\n[img]: javascript:alert(1)",
    "reference-javascript": "[x]: javascript:alert(1)\n\n[click][x]",
    "reference-data": "[ref]\n\n[ref]: data:text/html,x",
    "reference-title-breakout": '[x][r]\n\n[r]: https://ok.example "a\\"onclick=\\"alert(1)"',
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "math-mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "svg-style-mxss": '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "noscript-mxss": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "listing-mxss": "<listing>&lt;img src=x onerror=alert(1)&gt;</listing>",
    "template-script": "<template><script>alert(1)</script></template>",
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="data:text/html,x">',
    "style-tag": "<style>body{background:url(javascript:alert(1))}</style>",
    "link-tag": "<link rel=stylesheet href=javascript:alert(1)>",
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base-tag": '<base href="javascript:alert(1)//">',
    "form-action": '<form action="javascript:alert(1)"><button>go</button></form>',
    "html-comment": "<!-- <script>alert(1)</script> -->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "processing-instruction": '<?xml version="1.0"?><x/>',
    "doctype": "<!DOCTYPE html>",
    "unclosed-anchor": '<a href="http://ok">unclosed',
    "unclosed-tag": "<p <script>alert(1)</script>",
    "nested-quotes": "> <script>alert(1)</script>\n>> \"quoted\" 'nested' <img src=x onerror=alert(1)>",
    "inline-code": "`<script>alert(1)</script>`",
    "fenced-code": "```html\n<script>alert(1)</script>\n```",
    "indented-code": "    <script>alert(1)</script>",
    "unicode-escape-literal": r"\u003cscript\u003ealert(1)\u003c/script\u003e",
    "fullwidth-brackets": "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "c1-and-bidi": "\x85\x9b<script>\u202ealert(1)</script>",
    "lone-surrogate": "\ud800<script>alert(1)</script>",
    "overlong-links": "[x](javascript:alert(1)) [y](https://ok.example) " * 2000,
    "deep-quotes": ">" * 5000 + " <script>alert(1)</script>",
    "many-stars": "*" * 10000 + "<script>alert(1)</script>",
    "many-brackets": "[" * 10000 + "](javascript:alert(1))",
    "deep-lists": "".join("  " * level + "- x\n" for level in range(300)) + "<svg onload=alert(1)>",
}

SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
REQUIRED_REL = {"nofollow", "ugc", "noopener"}


class Inspector(HTMLParser):
    """Collect every element, attribute and non-text construct of a fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.texts = []
        self.other = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_data(self, data):
        self.texts.append(data)

    def handle_comment(self, data):
        self.other.append(("comment", data))

    def handle_decl(self, decl):
        self.other.append(("declaration", decl))

    def unknown_decl(self, data):
        self.other.append(("declaration", data))

    def handle_pi(self, data):
        self.other.append(("processing instruction", data))


def inspect(output):
    parser = Inspector()
    parser.feed(output)
    parser.close()
    return parser


def href_is_safe(href):
    """The browser's view of an href: unescaped, without whitespace or controls."""
    value = "".join(
        ch for ch in html.unescape(href)
        if not ch.isspace() and unicodedata.category(ch) != "Cc"
    ).lower()
    scheme = SCHEME.match(value)
    if scheme:
        return scheme.group(1) in ALLOWED_PROTOCOLS
    return value.startswith("/") and not value.startswith(("//", "/\\"))


def assert_safe(output, tags=ALLOWED_TAGS, allowlist=ALLOWED_ATTRIBUTES):
    parser = inspect(output)
    assert parser.other == []
    for tag, attrs in parser.elements:
        assert tag in tags, output
        names = [name for name, _ in attrs]
        assert len(names) == len(set(names)), output
        for name, value in attrs:
            allowed = allowlist.get(tag, ())
            assert allowed(tag, name, value) if callable(allowed) else name in allowed, (tag, name, output)
        if tag == "a":
            attributes = dict(attrs)
            assert href_is_safe(attributes.get("href", "")), output
            assert REQUIRED_REL <= set(attributes.get("rel", "").split()), output
            assert "target" not in attributes
    # Every "<" left in the raw output opens (or closes) an allowed tag; any
    # other "<" would have been escaped, so no text can turn back into markup.
    opened = re.findall(r"<\s*/?\s*([^\s/>]*)", output)
    assert set(opened) <= tags, output
    assert not re.search(r"<\s*script", output, re.IGNORECASE)
    assert "javascript:" not in "".join(value or "" for _, attrs in parser.elements for _, value in attrs).lower()


def test_there_are_enough_attack_cases():
    assert len(ATTACKS) >= 60


@pytest.mark.parametrize("payload", list(ATTACKS.values()), ids=list(ATTACKS))
def test_attack_output_uses_only_the_allowlist(payload):
    output = render_markdown(payload)
    assert_safe(output)
    output.encode("utf-8")  # no lone surrogate survives to break the response


@pytest.mark.parametrize("payload", list(ATTACKS.values()), ids=list(ATTACKS))
def test_guide_output_uses_only_the_guide_allowlist(payload):
    """Guides (admins' text) add section headings with a `bagian-` id and nothing else, even in a heading."""
    for source in (payload, f"## {payload}", f"## Bagian {{#{payload}}}", f"# {payload} {{#aman}}\n{payload}"):
        output = render_guide(source)
        assert_safe(output, GUIDE_TAGS, GUIDE_ATTRIBUTES)
        assert all(GUIDE_SECTION_ID.fullmatch(value) for tag, attrs in inspect(output).elements
                   for name, value in attrs if name == "id"), output


@pytest.mark.parametrize(
    "payload",
    ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<b>bold</b>"],
)
def test_raw_html_is_shown_as_text(payload):
    output = render_markdown(payload)
    assert html.unescape("".join(inspect(output).texts)).strip() == payload


def test_refused_link_keeps_its_text_but_not_the_anchor():
    output = render_markdown("see [the plan](javascript:alert(1)) and [site](//evil.example)")
    assert "<a" not in output
    assert "site" in output


def test_image_becomes_a_link_not_an_img():
    output = render_markdown("![peta banjir](https://tangerangselatankota.go.id/peta.png)")
    parser = inspect(output)
    assert [tag for tag, _ in parser.elements] == ["p", "a"]
    assert dict(parser.elements[1][1])["href"] == "https://tangerangselatankota.go.id/peta.png"
    assert "peta banjir" in output


def test_control_characters_are_stripped_but_newlines_and_tabs_kept():
    assert normalize_text("a\x00b\x07c\r\nd\re\tf\x7fg\x9fh") == "abc\nd\ne\tfgh"
    assert normalize_text(None) == ""


# -- what ordinary Markdown still gives ---------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*miring* dan **tebal**", "<p><em>miring</em> dan <strong>tebal</strong></p>"),
        ("_miring_ dan __tebal__", "<p><em>miring</em> dan <strong>tebal</strong></p>"),
        ("- satu\n- dua", "<ul>\n<li>satu</li>\n<li>dua</li>\n</ul>"),
        ("1. satu\n2. dua", "<ol>\n<li>satu</li>\n<li>dua</li>\n</ol>"),
        ("3. tiga\n4. empat", '<ol start="3">\n<li>tiga</li>\n<li>empat</li>\n</ol>'),
        ("> kutipan warga", "<blockquote>\n<p>kutipan warga</p>\n</blockquote>"),
        ("pakai `kode` ini", "<p>pakai <code>kode</code> ini</p>"),
        ("```python\nprint('<b>')\n```", "<pre><code>print('&lt;b&gt;')\n</code></pre>"),
        ("baris satu\nbaris dua", "<p>baris satu<br>\nbaris dua</p>"),
        ("# Judul besar", "<p><strong>Judul besar</strong></p>"),
        ("Tom & Jerry < 3", "<p>Tom &amp; Jerry &lt; 3</p>"),
        ("", ""),
        ("   \n\t", ""),
    ],
)
def test_ordinary_markdown_renders(source, expected):
    assert render_markdown(source) == expected


@pytest.mark.parametrize(
    ("source", "href"),
    [
        ("[situs](https://tangerangselatankota.go.id/berita?id=1&x=2)",
         "https://tangerangselatankota.go.id/berita?id=1&x=2"),
        ("[situs](http://example.org)", "http://example.org"),
        ("[situs](HTTPS://EXAMPLE.ORG)", "HTTPS://EXAMPLE.ORG"),
        ("<https://example.org/a>", "https://example.org/a"),
        ("[surel](mailto:pengaduan@example.org)", "mailto:pengaduan@example.org"),
        ("<pengaduan@example.org>", "mailto:pengaduan@example.org"),
        ("[kebijakan](/kebijakan/12)", "/kebijakan/12"),
        ("[x][r]\n\n[r]: https://example.org/ref", "https://example.org/ref"),
    ],
)
def test_links_render_with_rel_and_no_target(source, href):
    output = render_markdown(source)
    links = [dict(attrs) for tag, attrs in inspect(output).elements if tag == "a"]
    assert links == [{"href": href, "rel": "nofollow ugc noopener"}]
    assert_safe(output)


def test_bare_urls_are_not_linked():
    assert render_markdown("lihat https://example.org") == "<p>lihat https://example.org</p>"


# -- excerpts -------------------------------------------------------------------


def test_excerpt_removes_tags_and_decodes_entities():
    body = render_markdown("**Jalan** rusak di *Pondok Aren* & Ciputat\n\n- lubang\n- banjir")
    assert excerpt(body) == "Jalan rusak di Pondok Aren & Ciputat lubang banjir"


def test_excerpt_of_markdown_source_hides_the_markup():
    assert excerpt("# Judul\n\n**tebal** dan [tautan](https://example.org)") == "Judul tebal dan tautan"


def test_excerpt_collapses_whitespace_and_nbsp():
    assert excerpt("<p>a&nbsp;&nbsp;b\n\n\t c</p>\n<p>d</p>") == "a b c d"


def test_excerpt_keeps_escaped_markup_as_text():
    assert excerpt(render_markdown("<script>alert(1)</script>")) == "<script>alert(1)</script>"


def test_short_text_is_not_cut():
    assert excerpt("<p>pendek saja</p>", length=11) == "pendek saja"


def test_long_text_is_cut_on_a_word_boundary_with_an_ellipsis():
    text = " ".join(["pembangunan"] * 40)
    result = excerpt(text, length=50)
    assert len(result) <= 50
    assert result.endswith("\u2026")
    assert result[:-1].split(" ") == ["pembangunan"] * 4


def test_cut_right_before_a_space_keeps_the_last_whole_word():
    assert excerpt("aaaa bbbb cccc", length=10) == "aaaa bbbb\u2026"


def test_a_single_long_word_is_cut_mid_word():
    result = excerpt("x" * 500, length=20)
    assert result == "x" * 19 + "\u2026"


def test_excerpt_default_length():
    result = excerpt(" ".join(["kata"] * 200))
    assert len(result) <= 200
    assert result.endswith("\u2026")


def test_excerpt_of_empty_input():
    assert excerpt("") == ""
    assert excerpt(None) == ""


def test_thematic_break_is_dropped():
    assert render_markdown("satu\n\n---\n\ndua") == "<p>satu</p>\n<p>dua</p>"
