"""Markdown to sanitized HTML, and plain-text excerpts: the one HTML allowlist.

Everything people write (policies, aspirations, comments) is stored as a
Markdown source and rendered here, once, into `body_html`. Nothing else in the
code base may produce HTML from user text. The pipeline is:

1. `normalize_text` drops NUL and other control characters (keeping newline
   and tab), lone surrogates and non-characters, and unifies line endings.
   Length limits are the callers' business (forms and services).
2. markdown-it-py in CommonMark mode with raw HTML OFF renders Markdown: any
   `<tag>` a user types comes out escaped, as visible text. Images are
   disabled, so `![alt](url)` renders as "!" followed by an ordinary link (or
   as plain text when the URL is refused). Bare URLs are not turned into links
   (linkify off); `<https://...>` autolinks and `[text](url)` are. A single
   newline inside a paragraph becomes `<br>` (residents write line by line).
3. bleach cleans the result against the allowlist below (defence in depth:
   the parser should never emit anything else), stripping any other tag but
   keeping its text, and dropping comments.

The allowlist:

* Tags: ALLOWED_TAGS: paragraphs, line breaks, emphasis, lists, quotes, code.
  Headings are not allowed: a Markdown heading renders as a bold paragraph
  (`<p><strong>...</strong></p>`) so nobody can shout over a page's own
  headings. Horizontal rules and images are dropped.
* Attributes: ALLOWED_ATTRIBUTES: `href` and `rel` on links, `start` on
  ordered lists (markdown-it emits it for lists not starting at 1; digits only).
  No `class`, `style`, `title`, `target`, `id` or event handlers.
* Links: ALLOWED_PROTOCOLS: `http`, `https` and `mailto`, plus root-relative
  paths on this site (`/kebijakan/12`). Every other href is refused: other
  schemes (`javascript:`, `data:`, `vbscript:`, `file:`, ...), protocol-relative
  `//host`, backslash tricks, paths relative to the current page, and any href
  containing whitespace or control characters (after markdown-it's
  percent-encoding a legitimate one contains none). A refused link keeps its
  text but loses the `<a>`. Every kept link gets `rel="nofollow ugc noopener"`
  (LINK_REL) and never a `target`, so links open in the same tab.

Guides (forum/models/guides.py), written by admins, render through
`render_guide`, the same pipeline with one widening: headings stay headings,
as sections. `#` and `##` become `<h2>`, deeper ones `<h3>`, each with an
`id` of the form `bagian-<anchor>` (GUIDE_SECTION_ID: lowercase letters,
digits, hyphens), so a form can link to a section. The anchor is written at
the end of the heading, `## Daftar {#daftar}`, and stays the same in both
languages; a heading without one gets it from its words. Those two tags and
that `id` are the only additions (GUIDE_TAGS, GUIDE_ATTRIBUTES).
"""
import re
import threading
import unicodedata
from html.parser import HTMLParser

import bleach
from bleach import html5lib_shim
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
)
ALLOWED_ATTRIBUTES = {"a": ["href", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
SECTION_ID_PREFIX = "bagian-"
GUIDE_SECTION_ID = re.compile(r"bagian-[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ANCHOR = 40


def _section_id_only(tag, name, value):
    return name == "id" and GUIDE_SECTION_ID.fullmatch(value) is not None


GUIDE_TAGS = ALLOWED_TAGS | {"h2", "h3"}
GUIDE_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "h2": _section_id_only, "h3": _section_id_only}
LINK_REL = "nofollow ugc noopener"
ELLIPSIS = "\u2026"

# C0 controls except tab and newline (carriage returns are unified first), DEL,
# C1 controls, lone surrogates (they cannot be encoded in a response) and the
# non-characters U+FFFE and U+FFFF.
_UNWANTED_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
# Rendered bodies always open with one of these block tags.
_RENDERED_HTML_START = re.compile(r"\s*<(?:p|ul|ol|blockquote|pre|h2|h3)\b", re.IGNORECASE)
_EXPLICIT_ANCHOR = re.compile(r"\s*\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}\s*$")
_BLOCK_TAGS = frozenset({"p", "br", "ul", "ol", "li", "blockquote", "pre", "hr", "div"}) | {
    f"h{level}" for level in range(1, 7)
}


def normalize_text(source):
    """Return `source` with unified newlines and without control characters."""
    if not source:
        return ""
    text = str(source).replace("\r\n", "\n").replace("\r", "\n")
    return _UNWANTED_CHARS.sub("", text)


def typed_text(value):
    """What someone typed, as normalized plain text without outer space; a non-string is nothing typed."""
    return normalize_text(value if isinstance(value, str) else "").strip()


def is_safe_href(href):
    """True for http(s)/mailto URLs and root-relative paths, nothing else."""
    if not href or "\\" in href:
        return False
    if any(ord(ch) <= 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in href):
        return False
    if href.startswith("/"):
        return not href.startswith("//")
    scheme = _SCHEME.match(href)
    return scheme is not None and scheme.group(1).lower() in ALLOWED_PROTOCOLS


def _heading_open(renderer, tokens, idx, options, env):
    return "<p><strong>"


def _heading_close(renderer, tokens, idx, options, env):
    return "</strong></p>\n"


def _nothing(renderer, tokens, idx, options, env):
    return ""


def _build_markdown():
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    md.disable("image")
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    md.add_render_rule("hr", _nothing)  # a thematic break is decoration: drop it
    return md


class _LinkPolicy(html5lib_shim.Filter):
    """Unwrap links whose href is not safe; give the others `rel` and nothing else."""

    def __iter__(self):
        kept = []  # one entry per open <a>: whether its end tag is emitted
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                href = token["data"].get((None, "href"), "")
                kept.append(is_safe_href(href))
                if not kept[-1]:
                    continue
                token["data"] = {(None, "href"): href, (None, "rel"): LINK_REL}
            elif token["type"] == "EndTag" and token["name"] == "a":
                if not (kept.pop() if kept else False):
                    continue
            yield token


def _anchor_from_words(words):
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_words)[:MAX_ANCHOR].strip("-") or "bagian"


def _guide_sections_rule(state):
    """Give each heading its level (h2/h3) and a unique `bagian-` id; drop the `{#anchor}` marker."""
    seen = set()
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        found = _EXPLICIT_ANCHOR.search(inline.content)
        if found:
            inline.content = inline.content[:found.start()]
            last = inline.children[-1] if inline.children else None
            if last is not None and last.type == "text":
                last.content = _EXPLICIT_ANCHOR.sub("", last.content)
        anchor = (found.group(1)[:MAX_ANCHOR].strip("-") if found else None) or _anchor_from_words(inline.content)
        unique, number = anchor, 2
        while unique in seen:
            unique, number = f"{anchor}-{number}", number + 1
        seen.add(unique)
        tag = "h2" if token.tag in ("h1", "h2") else "h3"
        token.tag = tokens[index + 2].tag = tag
        token.attrs = {"id": SECTION_ID_PREFIX + unique}


def _build_guide_markdown():
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    md.disable("image")
    md.add_render_rule("hr", _nothing)
    md.core.ruler.push("guide_sections", _guide_sections_rule)
    return md


_markdown = _build_markdown()
_guide_markdown = _build_guide_markdown()
# bleach's Cleaner keeps parser state, so each thread gets its own.
_local = threading.local()


def _cleaner(name="cleaner", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES):
    cleaner = getattr(_local, name, None)
    if cleaner is None:
        cleaner = bleach.sanitizer.Cleaner(
            tags=tags,
            attributes=attributes,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[_LinkPolicy],
        )
        setattr(_local, name, cleaner)
    return cleaner


def render_markdown(source):
    """Turn a Markdown source into HTML that only uses the allowlist."""
    text = normalize_text(source)
    if not text.strip():
        return ""
    return _cleaner().clean(_markdown.render(text)).strip()


def render_guide(source):
    """A guide's Markdown as HTML: the allowlist plus section headings with `bagian-` ids."""
    text = normalize_text(source)
    if not text.strip():
        return ""
    html = _guide_markdown.render(text)
    return _cleaner("guide_cleaner", GUIDE_TAGS, GUIDE_ATTRIBUTES).clean(html).strip()


def guide_sections(source):
    """[(section id, heading text)] of a guide's top-level (`<h2>`) sections, in order."""
    text = normalize_text(source)
    if not text.strip():
        return []
    tokens = _guide_markdown.parse(text)
    return [(token.attrs["id"], " ".join(tokens[index + 1].content.split()))
            for index, token in enumerate(tokens) if token.type == "heading_open" and token.tag == "h2"]


class _TextCollector(HTMLParser):
    """Collect text nodes, with a space wherever a block or line break was."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def plain_text(html_or_source):
    """All the words of a rendered body (or of a Markdown source), one line."""
    text = normalize_text(html_or_source)
    if not _RENDERED_HTML_START.match(text):
        text = render_markdown(text)
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    return " ".join("".join(collector.parts).split())


def excerpt(html_or_source, length=200):
    """A plain-text excerpt of at most `length` characters, ellipsis included.

    Accepts a rendered `body_html` (it opens with a block tag) or a Markdown
    source (rendered first, so its markup does not show). Tags are removed,
    entities decoded and whitespace collapsed; a longer text is cut at the last
    word boundary that fits (or mid-word when one word fills most of it) and
    ends with an ellipsis. The result is text: templates must escape it.
    """
    text = plain_text(html_or_source)
    if len(text) <= length:
        return text
    cut = text[: max(length - 1, 0)]
    if not text[len(cut)].isspace():
        space = cut.rfind(" ")
        if space > len(cut) // 2:
            cut = cut[:space]
    return cut.rstrip(" ,.;:") + ELLIPSIS
