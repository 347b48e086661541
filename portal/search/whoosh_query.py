"""Query evaluation over one Whoosh index generation, on bitsets instead of Whoosh's collectors.

Whoosh stays the index (segmentation, storage, postings, updates and deletions); what is slow in
it on a 100k catalog is evaluating broad queries document by document in Python: intersecting
postings, scoring every match and counting facets per document. Here a document set is a Python
int used as a bitset (bit d = document number d), so an intersection, a filter and a facet count
are single C-level operations on 100k bits, and only the matching documents are ever scored:

- postings of a (field, token) become a bitset plus a map of BM25 partial scores, built once per
  generation and kept in a bounded LRU cache (a term's postings are read once, not per query);
- facet values and filters are bitsets built with the generation;
- relevance is Whoosh's BM25F (same idf, field boosts and length normalisation) summed over the
  ranking fields, for the matching documents only.

A generation is immutable: any index change gives a new reader generation and a new Generation.
"""

import heapq
import threading
from collections import OrderedDict

K1, B = 1.2, 0.75
_BITS = tuple(tuple(i for i in range(8) if byte >> i & 1) for byte in range(256))


def bitset(docnums) -> int:
    buffer = bytearray()
    for d in docnums:
        index = d >> 3
        if index >= len(buffer):
            buffer.extend(bytes(index - len(buffer) + 1))
        buffer[index] |= 1 << (d & 7)
    return int.from_bytes(buffer, "little")


def members(bits: int) -> list[int]:
    out = []
    for index, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        if byte:
            base = index << 3
            out.extend(base + offset for offset in _BITS[byte])
    return out


class Generation:
    """Facet, sort and posting data of one reader generation, shared by every thread."""

    MULTI = ("format", "keyword")
    CACHE_POSTINGS = 3_000_000  # total cached (document, score) entries before old terms are evicted

    def __init__(self, searcher, facet_fields: dict[str, str], boosts: dict[str, float]):
        self.searcher = searcher  # used under self._lock only: Whoosh readers are not thread-safe
        self.boosts = boosts
        self._lock = threading.Lock()
        self._terms: OrderedDict[tuple[str, str], tuple[int, dict]] = OrderedDict()
        self._cached = 0
        self._lengths: dict[str, list[int]] = {}
        self._ranks: dict[str, list[int]] = {}
        size = searcher.doc_count_all()
        self.name = [""] * size
        self.sort_values = {"newest": [0] * size, "downloads": [0] * size, "title": [""] * size}
        self.values = {key: [()] * size for key in facet_fields}
        live = []
        for docnum, stored in searcher.reader().iter_docs():
            live.append(docnum)
            self.name[docnum] = stored.get("name", "")
            self.sort_values["newest"][docnum] = stored.get("updated_value", 0)
            self.sort_values["downloads"][docnum] = stored.get("downloads_value", 0)
            self.sort_values["title"][docnum] = stored.get("title_value", "")
            for key, field in facet_fields.items():
                raw = stored.get(field) or ""
                self.values[key][docnum] = tuple(v for v in raw.split(",") if v) if key in self.MULTI else (raw,)
        self.live = bitset(live)
        self.facet_bits: dict[str, dict[str, int]] = {}
        for key, column in self.values.items():
            groups: dict[str, list[int]] = {}
            for docnum in live:
                for value in column[docnum]:
                    groups.setdefault(value, []).append(docnum)
            self.facet_bits[key] = {value: bitset(docs) for value, docs in groups.items()}

    # -- postings ------------------------------------------------------------------------------
    def term(self, field: str, token: str) -> tuple[int, dict]:
        """(bitset, {docnum: BM25 partial score}) of a token in a field, cached."""
        key = (field, token)
        with self._lock:
            if key in self._terms:
                self._terms.move_to_end(key)
                return self._terms[key]
            entry = self._read(field, token)
            self._terms[key] = entry
            self._cached += len(entry[1])
            while self._cached > self.CACHE_POSTINGS and len(self._terms) > 1:
                _old, (_bits, scores) = self._terms.popitem(last=False)
                self._cached -= len(scores)
            return entry

    def _read(self, field: str, token: str) -> tuple[int, dict]:
        reader = self.searcher.reader()
        if (field, token) not in reader:
            return 0, {}
        lengths = self._field_lengths(field)
        average = self.searcher.avg_field_length(field) or 1.0
        weight = self.boosts.get(field, 1.0) * self.searcher.idf(field, token)
        scores = {}
        for docnum, tf in reader.postings(field, token).items_as("weight"):
            norm = K1 * ((1 - B) + B * lengths[docnum] / average)
            scores[docnum] = weight * tf * (K1 + 1) / (tf + norm)
        return bitset(scores), scores

    def _field_lengths(self, field: str) -> list[int]:
        if field not in self._lengths:
            reader = self.searcher.reader()
            self._lengths[field] = [reader.doc_field_length(d, field) for d in range(len(self.name))]
        return self._lengths[field]

    # -- evaluation ----------------------------------------------------------------------------
    def match(self, tokens: list[str], filters: dict[str, str]) -> int:
        bits = self.live
        for token in tokens:
            bits &= self.term("all", token)[0]
            if not bits:
                return 0
        for key, value in filters.items():
            if value:
                bits &= self.facet_bits[key].get(value.lower() if key == "format" else value, 0)
        return bits

    def facets(self, bits: int, total: int) -> dict[str, list[tuple[str, int]]]:
        facets = {}
        docs = None
        for key, values in self.facet_bits.items():
            if total * 4 < len(values):  # few matches, many values (keywords): count per document
                if docs is None:
                    docs = members(bits)
                counts: dict[str, int] = {}
                column = self.values[key]
                for d in docs:
                    for value in column[d]:
                        counts[value] = counts.get(value, 0) + 1
                pairs = counts.items()
            else:
                pairs = ((value, (bits & mask).bit_count()) for value, mask in values.items())
            facets[key] = sorted(((v, c) for v, c in pairs if c), key=lambda kv: (-kv[1], kv[0]))
        return facets

    def ranked(self, bits: int, tokens: list[str], stop: int) -> list[int]:
        docs = members(bits)
        scores = [0.0] * len(docs)
        for token in dict.fromkeys(tokens):
            for field in ("all", *self.boosts):
                get = self.term(field, token)[1].get
                scores = [s + get(d, 0.0) for s, d in zip(scores, docs, strict=True)]
        name = self.name
        best = heapq.nsmallest(stop, range(len(docs)), key=lambda i: (-scores[i], name[docs[i]]))
        return [docs[i] for i in best]

    def sorted_by(self, bits: int, sort: str, reverse: bool, stop: int) -> list[int]:
        rank = self._rank(sort, reverse)
        return heapq.nsmallest(stop, members(bits), key=rank.__getitem__)

    def _rank(self, sort: str, reverse: bool) -> list[int]:
        with self._lock:
            if sort not in self._ranks:
                values, name = self.sort_values[sort], self.name
                order = sorted(range(len(name)), key=lambda d: name[d])
                order.sort(key=values.__getitem__, reverse=reverse)
                rank = [0] * len(name)
                for position, docnum in enumerate(order):
                    rank[docnum] = position
                self._ranks[sort] = rank
            return self._ranks[sort]
