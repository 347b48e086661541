"""Desensitization stage (DESIGN §4): the only code that imports presidio. No Flask, no database.

Modules: validators (check digits, value checks), identifiers (valid-number generators), names
(Chinese names in text), recognizers (Presidio recognizers, fast free-text path), nlp (blank zh
spaCy engine built locally), classifier (per-column), policy (what to do per column), operators
(mask/hash/generalize/surrogate), table (chunked column-wise CSV stage), freetext (per-cell).
Import the module you need; this package imports nothing on its own so light users stay light.
"""
