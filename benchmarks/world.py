"""The synthetic world the articles report on: provinces, cities, districts, enterprises, people.

Everything is drawn from one seeded :class:`random.Random`, in a fixed order, so the same seed gives the same
world. Names are made unique where an id is derived from them (places, enterprises); people may share a
name, as real people do, and get distinct ids.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from benchmarks import names

if TYPE_CHECKING:
    from benchmarks.parties import Pairing

#: Articles per district: a district's programme gets one article per phase launched.
ARTICLES_PER_DISTRICT = 8


@dataclass(frozen=True)
class Place:
    """A province, city or district: its Chinese name (without 省/市/区), English name and slug."""

    zh: str
    en: str
    slug: str


@dataclass(frozen=True)
class Company:
    """An enterprise: full name, the short name running text uses, English name, id and class."""

    id: str
    full: str
    short: str
    en: str
    en_short: str
    type: str


@dataclass(frozen=True)
class Person:
    """A person: Chinese name, English name (surname first, as pinyin), id."""

    id: str
    zh: str
    en: str


@dataclass
class District:
    """A district with its city and province, the year its programme began, and what was launched."""

    place: Place
    city: Place
    province: Place
    first_year: int
    launched: list[list[Pairing]] = field(default_factory=list)  # the new pairings of each article, in order


class World:
    """Registries of generated names, so ids stay unique across the whole corpus."""

    def __init__(self, rng: random.Random, articles: int) -> None:
        self.rng = rng
        self.place_names: set[str] = {zh for zh, _ in names.PROVINCES} | {"海南", "云南", "山西", "江西"}
        self.ids: set[str] = {f"place/{en.lower()}" for _, en in names.PROVINCES}
        self.person_ids: dict[str, int] = {}
        self.defined: set[str] = set()  # ids curated once in the corpus (see Article.add_once)
        count = max(1, -(-articles // ARTICLES_PER_DISTRICT))
        provinces = [Place(zh, en, en.lower()) for zh, en in names.PROVINCES]
        cities = [self._place(rng.choice(provinces)) for _ in range(max(1, -(-count // 5)))]
        self.cities = cities
        self.districts = [self._district(cities[i % len(cities)]) for i in range(count)]

    def _place_name(self) -> tuple[str, str]:
        while True:
            (a, pa), (b, pb) = self.rng.sample(names.PLACE_CHARS, 2)
            if a + b not in self.place_names and f"place/{pa}{pb}" not in self.ids:
                self.place_names.add(a + b)
                self.ids.add(f"place/{pa}{pb}")
                return a + b, pa + pb

    def _place(self, province: Place) -> tuple[Place, Place]:
        zh, slug = self._place_name()
        return Place(zh, slug.capitalize(), slug), province

    def _district(self, city: tuple[Place, Place]) -> District:
        zh, slug = self._place_name()
        return District(Place(zh, slug.capitalize(), slug), city[0], city[1], self.rng.randint(2012, 2016))

    def company(self, province: Place) -> Company:
        """A new enterprise of ``province`` with a name no other enterprise has."""
        rng = self.rng
        while True:
            (a, pa), (b, pb) = rng.sample(names.BRAND_CHARS, 2)
            industry, industry_en, short = rng.choice(names.INDUSTRIES)
            slug = f"{pa}{pb}-{industry_en.lower().replace(' ', '-')}"
            for candidate in (f"org/{slug}", f"org/{province.slug}-{slug}"):
                if candidate not in self.ids:
                    self.ids.add(candidate)
                    return self._company(candidate, province, a + b, (pa + pb).capitalize(),
                                         (industry, industry_en, short))

    def _company(self, ident: str, province: Place, brand: str, brand_en: str,
                 industry: tuple[str, str, str]) -> Company:
        zh, en, short = industry
        suffix, suffix_en = self.rng.choice(names.COMPANY_SUFFIXES)
        kind = self.rng.choices(["PrivateEnterprise", "Enterprise", "StateOwnedEnterprise"], [6, 3, 1])[0]
        return Company(ident, f"{province.zh}{brand}{zh}{suffix}", f"{brand}{short}公司",
                       f"{province.en} {brand_en} {en} {suffix_en}", f"{brand_en} {en} Company", kind)

    def person(self, avoid: set[str]) -> Person:
        """A new person whose Chinese name is not in ``avoid`` (names already in the same article)."""
        rng = self.rng
        while True:
            surname, surname_en = rng.choice(names.SURNAMES)
            given = rng.sample(names.GIVEN_CHARS, rng.choice((1, 2, 2)))
            zh = surname + "".join(c for c, _ in given)
            if zh not in avoid:
                break
        given_en = "".join(p for _, p in given)
        base = f"person/{surname_en.lower()}-{given_en}"
        seen = self.person_ids.get(base, 0) + 1
        self.person_ids[base] = seen
        return Person(base if seen == 1 else f"{base}-{seen}", zh, f"{surname_en} {given_en.capitalize()}")
