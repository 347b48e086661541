"""Free-text cells: find entities with our recognizers, replace them with Presidio's anonymizer."""

from collections import Counter
from functools import lru_cache

from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig, RecognizerResult

from .operators import Pseudonymizer, generalize, mask
from .recognizers import find_entities


@lru_cache(maxsize=1)
def _engine() -> AnonymizerEngine:
    return AnonymizerEngine()


def _span_operator(operator: str, entity: str, pseudonymizer: Pseudonymizer):
    if operator == "hash":
        return lambda text: pseudonymizer.hash(entity, text)
    if operator == "surrogate":
        return lambda text: pseudonymizer.surrogate(entity, text)
    if operator == "generalize" and entity == "ADDRESS":
        return lambda text: generalize(entity, text)
    return lambda text: mask(entity, text)


def anonymize_text(text: str, operator: str, pseudonymizer: Pseudonymizer, found: Counter | None = None) -> str:
    spans = find_entities(text)
    if not spans:
        return text
    if found is not None:
        found.update(span.entity for span in spans)
    results = [RecognizerResult(s.entity, s.start, s.end, s.score) for s in spans]
    operators = {entity: OperatorConfig("custom", {"lambda": _span_operator(operator, entity, pseudonymizer)})
                 for entity in {s.entity for s in spans}}
    return _engine().anonymize(text=text, analyzer_results=results, operators=operators).text

