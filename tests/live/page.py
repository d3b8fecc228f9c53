"""A customer picture as the browser holds it, and the websocket's frames applied to it the way
htmx's ws extension and ``static/console/live.js`` apply them.

Small on purpose: a tree of elements from ``html.parser``, the out-of-band swaps the pushes use
(``true`` = outerHTML by id, ``afterbegin:#sel``, ``innerHTML``, ``beforeend``), ``hx-preserve``,
and live.js's rules for entries (one per seq, a gap asks for a resume, the channel filter) and
for its JSON control messages. A swap without a target on the page is noted, as htmx raises
``htmx:oobErrorNoTarget``: a push for a part the page does not have is a finding too.
"""

import json
import re
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    def elements(self):
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.elements()

    def find(self, element_id: str):
        return next((e for e in self.elements() if e.id == element_id), None)

    def replace_with(self, nodes: list) -> None:
        at = self.parent.children.index(self)
        self.parent.children[at : at + 1] = nodes
        for node in nodes:
            if isinstance(node, Element):
                node.parent = self.parent

    def insert(self, at: int, nodes: list) -> None:
        self.children[at:at] = nodes
        for node in nodes:
            if isinstance(node, Element):
                node.parent = self


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.open = Element("#root", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v if v is not None else "" for k, v in attrs}, self.open)
        self.open.children.append(element)
        if tag not in VOID:
            self.open = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open = self.open.parent

    def handle_endtag(self, tag):
        node = self.open
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:  # a stray end tag is ignored, as browsers do
            self.open = node.parent

    def handle_data(self, data):
        self.open.children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def canonical(node) -> str:
    """The element as markup with attributes sorted and whitespace collapsed: two renderings of
    the same thing compare equal whatever their indentation."""
    if isinstance(node, str):
        return re.sub(r"\s+", " ", node).strip()
    attrs = "".join(f' {k}="{v}"' for k, v in sorted(node.attrs.items()))
    inner = "".join(canonical(child) for child in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


class Page:
    """The page after its GET, then after every frame the socket sent it."""

    def __init__(self, html: str):
        self.document = parse(html)
        self.last_seq = self.shown_seq()
        self.shown_list = self.document.find("timeline-entries")
        self.resumes: list[dict] = []  # frames live.js would send back, in order
        self.no_target: list[str] = []
        self.reload = False

    def shown_seq(self) -> int:
        entries = self.document.find("timeline-entries")
        return int(entries.attrs.get("data-last-seq") or 0) if entries is not None else 0

    def resume(self, *, panels: bool = False) -> None:
        self.last_seq = max(self.last_seq, self.shown_seq())
        self.resumes.append({"type": "resume", "after": self.last_seq, "panels": panels})

    def receive(self, text: str) -> None:
        """One websocket frame: a JSON control message, or HTML swapped out of band."""
        if text.startswith("{"):
            message = json.loads(text)
            if message["type"] == "seq" and message["latest"] > self.last_seq:
                self.resume()
            elif message["type"] == "reload":
                self.reload = True
            return
        for child in parse(text).children:
            if isinstance(child, Element):
                self._oob_swap(child.attrs.pop("hx-swap-oob", "true") or "true", child)

    def answer(self, html: str, *, target: str) -> None:
        """An htmx request's answer: its out-of-band parts first, then the rest in place of the
        element that asked (the forms here swap outerHTML)."""
        fragment = parse(html)
        for element in [e for e in fragment.elements() if "hx-swap-oob" in e.attrs]:
            element.parent.children.remove(element)
            self._oob_swap(element.attrs.pop("hx-swap-oob") or "true", element)
        asked = self.document.find(target)
        asked.replace_with(fragment.children)
        self._after_swap(asked)

    def _oob_swap(self, how: str, element: Element) -> None:
        style, selector = "outerHTML", f"#{element.id}"
        if ":" in how:
            style, selector = how.split(":", 1)
        elif how != "true":
            style = how
        target = self.document.find(selector.removeprefix("#"))
        if target is None:
            self.no_target.append(selector)
            return
        nodes = [element] if style == "outerHTML" else list(element.children)
        if not self._entry_wanted(target, nodes):
            return
        self._preserve(nodes)
        if style == "outerHTML":
            target.replace_with(nodes)
        elif style == "afterbegin":
            target.insert(0, nodes)
        elif style == "beforeend":
            target.insert(len(target.children), nodes)
        elif style == "innerHTML":
            target.children = []
            target.insert(0, nodes)
        else:
            raise AssertionError(f"a swap style the page does not know: {style}")
        self._after_swap(target if style != "outerHTML" else element)

    def _entry_wanted(self, target: Element, nodes: list) -> bool:
        """live.js's htmx:oobBeforeSwap: one row per seq, a gap asks for a resume."""
        if target.id != "timeline-entries":
            return True
        entry = next((e for n in nodes if isinstance(n, Element) for e in [n, *n.elements()] if _is_entry(e)), None)
        if entry is None:
            return True
        seq = int(entry.attrs["data-seq"])
        if seq > self.last_seq + 1:
            self.resume()
            return False
        self.last_seq = max(self.last_seq, seq)
        channel = target.attrs.get("data-channel", "")
        shown = self.document.find(entry.id) is not None
        return not shown and not (channel and entry.attrs.get("data-channel") != channel)

    def _preserve(self, nodes: list) -> None:
        """htmx keeps an element marked hx-preserve as it is on the page (what is typed in it)."""
        for at, node in enumerate(nodes):
            if not isinstance(node, Element):
                continue
            for kept in [e for e in [node, *node.elements()] if "hx-preserve" in e.attrs and e.id]:
                current = self.document.find(kept.id)
                if current is None:
                    continue
                if kept is node:
                    nodes[at] = current
                else:
                    kept.replace_with([current])

    def _after_swap(self, swapped: Element) -> None:
        """live.js's htmx:oobAfterSwap listeners."""
        entries = self.document.find("timeline-entries")
        if entries is not None and entries is not self.shown_list:
            self.shown_list = entries
            self.last_seq = self.shown_seq()
            self.resume()
        if swapped.id == "message-list":
            self._message_statuses_follow(swapped)

    def _message_statuses_follow(self, listed: Element) -> None:
        for item in (e for e in listed.elements() if "data-message-id" in e.attrs):
            pill = next((e for e in item.elements() if "pill" in e.attrs.get("class", "").split()), None)
            if pill is None:
                continue
            for shown in self.document.elements():
                if shown.attrs.get("data-message-status") == item.attrs["data-message-id"]:
                    shown.attrs["class"] = pill.attrs.get("class", "")
                    shown.children = list(pill.children)

    def main(self) -> Element:
        return next(e for e in self.document.elements() if e.tag == "main")


def _is_entry(element: Element) -> bool:
    return element.tag == "li" and "entry" in element.attrs.get("class", "").split()
