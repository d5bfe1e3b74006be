"""What a RELAX NG grammar allows where: child elements and attributes per element.

The validator uses this to say, beside each RELAX NG error, what is allowed
at that point ("allowed in list: head, item, label, ..."). It reads the
grammar's XML directly: every ``element`` pattern's content is walked through
``ref``/``define`` (without entering nested elements), collecting the names of
the child elements, the attributes and a short description of their values.
Elements of the same name in different contexts are pooled. It is a hint, not
a validator: a grammar it cannot read gives no hints.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree

RNG = "{http://relaxng.org/ns/structure/1.0}"
XML_NS = "http://www.w3.org/XML/1998/namespace"
ANY = "*"  # anyName / nsName: any element or attribute

# XML Schema datatypes as a reader would describe them
DATATYPES = {
    "date": "a date YYYY-MM-DD", "gYear": "a year YYYY", "gYearMonth": "YYYY-MM", "gMonth": "--MM",
    "gMonthDay": "--MM-DD", "gDay": "---DD", "time": "a time hh:mm:ss", "dateTime": "a date and time",
    "double": "a number", "decimal": "a number", "integer": "a whole number",
    "nonNegativeInteger": "a whole number 0 or more", "positiveInteger": "a whole number 1 or more",
    "anyURI": "a URI", "ID": "a name unique in the file", "IDREF": "an xml:id in the file",
    "language": "a language code such as en", "NCName": "a name without spaces or colons",
    "Name": "a name without spaces", "token": "a word", "string": "any text", "boolean": "true or false",
}


@dataclass
class ElementRule:
    children: set[str] = field(default_factory=set)
    attributes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # name -> value descriptions
    text: bool = False


class Grammar:
    """Per element name: what it may contain (``children``, ``attributes``, ``text``)."""

    def __init__(self, root: etree._Element):
        self.defines: dict[str, list[etree._Element]] = defaultdict(list)
        for define in root.iter(f"{RNG}define"):
            self.defines[define.get("name")].append(define)
        self.rules: dict[str, ElementRule] = defaultdict(ElementRule)
        for element in root.iter(f"{RNG}element"):
            for name in _names(element):
                self._collect(element, self.rules[name])

    def children(self, element: str) -> list[str]:
        return sorted(self.rules[element].children) if element in self.rules else []

    def attributes(self, element: str) -> list[str]:
        return sorted(self.rules[element].attributes) if element in self.rules else []

    def values(self, element: str, attribute: str) -> list[str]:
        rule = self.rules.get(element)
        return sorted(rule.attributes.get(attribute, ())) if rule else []

    def knows(self, element: str) -> bool:
        return element in self.rules

    # walking ------------------------------------------------------------------

    def _collect(self, element: etree._Element, rule: ElementRule) -> None:
        seen: set[str] = set()
        stack = [child for child in element if isinstance(child.tag, str)]
        while stack:
            node = stack.pop()
            tag = node.tag
            if tag == f"{RNG}element":
                rule.children.update(_names(node))
            elif tag == f"{RNG}attribute":
                for name in _names(node):
                    rule.attributes[name].update(self._value_descriptions(node))
            elif tag in (f"{RNG}text", f"{RNG}mixed"):
                rule.text = True
                if tag == f"{RNG}mixed":
                    stack.extend(child for child in node if isinstance(child.tag, str))
            elif tag in (f"{RNG}ref", f"{RNG}parentRef"):
                name = node.get("name")
                if name not in seen:
                    seen.add(name)
                    for define in self.defines.get(name, ()):
                        stack.extend(child for child in define if isinstance(child.tag, str))
            elif tag.startswith(RNG) and tag not in (f"{RNG}name", f"{RNG}anyName", f"{RNG}nsName"):
                stack.extend(child for child in node if isinstance(child.tag, str))


    def _value_descriptions(self, attribute: etree._Element) -> set[str]:
        found, seen = set(), set()
        stack = [child for child in attribute if isinstance(child.tag, str)]
        while stack:
            node = stack.pop()
            if node.tag == f"{RNG}value":
                found.add(repr(node.text or ""))
            elif node.tag == f"{RNG}data":
                found.add(DATATYPES.get(node.get("type"), node.get("type")))
            elif node.tag == f"{RNG}ref" and node.get("name") not in seen:
                seen.add(node.get("name"))
                for define in self.defines.get(node.get("name"), ()):
                    stack.extend(child for child in define if isinstance(child.tag, str))
            elif node.tag.startswith(RNG) and node.tag not in (f"{RNG}name", f"{RNG}param"):
                stack.extend(child for child in node if isinstance(child.tag, str))
        return found or {"any text"}


def _names(pattern: etree._Element) -> list[str]:
    """The local names (attributes: with an xml: prefix where that is their namespace) a pattern matches."""
    if pattern.get("name"):
        name = pattern.get("name").strip()
        if pattern.tag == f"{RNG}attribute" and pattern.get("ns") == XML_NS and not name.startswith("xml:"):
            return [f"xml:{name}"]
        return [name.split(":")[-1] if pattern.tag == f"{RNG}element" else name]
    names = []
    for child in pattern:
        if child.tag == f"{RNG}name":
            names.append(child.text.strip().split(":")[-1] if pattern.tag == f"{RNG}element" else child.text.strip())
        elif child.tag in (f"{RNG}anyName", f"{RNG}nsName"):
            names.append(ANY)
        elif child.tag == f"{RNG}choice":
            names += _names(child)
    return names


def describe(names: list[str], limit: int = 40) -> str:
    """Names as a readable list, the end cut off past ``limit``."""
    shown = [n if n != ANY else "any element" for n in names[:limit]]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(shown) + more
