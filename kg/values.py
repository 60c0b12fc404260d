"""Turn a curated YAML string into a typed RDF literal, by the property's declared ``rdfs:range``.

The XSD lexical rules come from XML Schema 1.1 Part 2 (``xsd:date`` §3.3.9, ``xsd:gYearMonth`` §3.3.13,
``xsd:gYear`` §3.3.14). ``zq:dateOrYear`` is the ontology's union of the three: the lexical form decides.
"""

from __future__ import annotations

import datetime
import re

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.iris import ZQ

_YEAR = re.compile(r"\d{4}")
_YEAR_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[+-]?\d+")


class RangeError(ValueError):
    """A value that does not fit its property's range; the message says what was expected."""


def literal_for(text: str, datatype: URIRef | None) -> Literal:
    """The literal of ``text`` typed by ``datatype`` (``None``: a plain ``xsd:string``)."""
    if datatype in (None, XSD.string, RDFS.Literal):
        return Literal(str(text))
    if datatype in (XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger):
        return _integer(text, datatype)
    if datatype == ZQ.dateOrYear:
        return _date_like(text)
    if datatype in (XSD.date, XSD.gYear, XSD.gYearMonth):
        found = _date_like(text)
        if found.datatype != datatype:
            raise RangeError(f"{text!r} is not an {_short(datatype)}")
        return found
    if datatype == RDF.langString:
        raise RangeError(f"{text!r} needs a language: write {{zh: ..., en: ...}}")
    return Literal(str(text), datatype=datatype)


def _integer(text: str, datatype: URIRef) -> Literal:
    if not _INTEGER.fullmatch(text):
        raise RangeError(f"{text!r} is not an integer ({_short(datatype)})")
    number = int(text)
    if datatype == XSD.nonNegativeInteger and number < 0:
        raise RangeError(f"{number} is negative; {_short(datatype)} expected")
    if datatype == XSD.positiveInteger and number < 1:
        raise RangeError(f"{number} is not positive; {_short(datatype)} expected")
    return Literal(str(number), datatype=datatype)


def _date_like(text: str) -> Literal:
    if _YEAR.fullmatch(text):
        return Literal(text, datatype=XSD.gYear)
    if _YEAR_MONTH.fullmatch(text):
        return Literal(text, datatype=XSD.gYearMonth)
    if _DATE.fullmatch(text):
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            raise RangeError(f"{text!r} is not a real calendar date") from None
        return Literal(text, datatype=XSD.date)
    raise RangeError(f"{text!r} is not a date (YYYY-MM-DD), a year-month (YYYY-MM) or a year (YYYY)")


def _short(datatype: URIRef) -> str:
    return "xsd:" + str(datatype).rsplit("#", 1)[-1]
