"""The two sides of a pairing as the articles name them: an enterprise's party organisation (or the
enterprise itself) and an organ's party branch (or the organ itself), with the host chain behind each.

A :class:`Party` knows how the text names it and which entities that one mention stands for (the party and
its hosts, all quoted by the same words, as the real article's curator did for 区市监局机关第一党支部).
Labels are functions of the ids' parts only, so an organisation named by two articles of one district is
labelled the same in both (the merge would otherwise stop the build).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from benchmarks import names
from benchmarks.model import Entity, Quote, Ref
from benchmarks.world import Company, District

PARTY_KINDS = (("PartyBranch", "党支部", "party-branch", "Party Branch"),
               ("PartyCommittee", "党委", "party-committee", "Party Committee"),
               ("PartyGeneralBranch", "党总支", "party-general-branch", "Party General Branch"))


@dataclass(frozen=True)
class Party:
    """One side of a pairing: its id, class, labels, the words naming it, and its host chain."""

    id: str
    type: str
    zh: str
    en: str
    text: str
    hosts: tuple[Entity, ...] = ()
    host_links: tuple[tuple[str, str, str], ...] = ()  # (subject id, property, object id)
    aliases: tuple[str, ...] = ()
    note: str | None = None

    def entities(self, quote: Quote) -> list[Entity]:
        """The party and its hosts as entity blocks, all quoted by ``quote``."""
        own = Entity(self.id, self.type, self.zh, self.en, aliases=list(self.aliases), note=self.note)
        blocks = [own.cite(quote)] + [Entity(h.id, h.type, h.zh, h.en, aliases=list(h.aliases), note=h.note
                                             ).cite(quote) for h in self.hosts]
        by_id = {block.id: block for block in blocks}
        for subject, prop, target in self.host_links:
            by_id[subject].prop(prop, Ref(target))
        return blocks


@dataclass(frozen=True)
class Pairing:
    """A pairing: the enterprise side first (as the build asserts ``zq:pairedWith``), then the organ."""

    id: str
    first: Party
    second: Party
    company: Company

    def entity(self) -> Entity:
        """Its entity block, without quotes or props."""
        return Entity(self.id, "Pairing", f"{self.first.text}—{self.second.text}结对共建",
                      f"Pairing of the {self.first.en} and the {self.second.en}")


def enterprise_party(company: Company, rng: random.Random, *, itself: bool = False) -> Party:
    """The enterprise's party organisation (branch, committee or general branch), or the enterprise."""
    note = "Its ownership is not printed, so it is typed Enterprise only." if company.type == "Enterprise" else None
    host = Entity(company.id, company.type, company.full, company.en, aliases=[company.short], note=note)
    if itself:
        return Party(company.id, company.type, company.full, company.en, company.short,
                     aliases=(company.short,), note=note)
    kind, zh, slug, en = rng.choices(PARTY_KINDS, [7, 2, 1])[0]
    return Party(f"{company.id}-{slug}", kind, f"{company.short}{zh}", f"{company.en_short} {en}",
                 f"{company.short}{zh}", (host,), ((f"{company.id}-{slug}", "hostedBy", company.id),))


def bureau_entity(district: District, bureau: tuple[str, str, str]) -> Entity:
    """区X局 of ``district`` (a government agency), labelled with the district's name."""
    zh, slug, en = bureau
    d = district.place
    return Entity(f"org/{d.slug}-{slug}", "GovernmentAgency", f"{d.zh}区{zh}", f"{d.en} District {en}",
                  aliases=[f"区{zh}"])


def organ_party(district: District, rng: random.Random, *, itself: bool = False) -> Party:
    """An organ's party branch: 区X局机关第N党支部, an institution's branch (with its chain), or 区X局."""
    bureau = rng.choice(names.BUREAUS)
    if itself:
        host = bureau_entity(district, bureau)
        return Party(host.id, host.type, host.zh, host.en, f"区{bureau[0]}", aliases=(f"区{bureau[0]}",))
    if rng.random() < 0.3:
        return _institution_party(district, rng.choice(names.INSTITUTIONS))
    number = rng.choices(range(3), [6, 3, 1])[0]
    host = bureau_entity(district, bureau)
    text = f"区{bureau[0]}机关第{names.ORDINALS[number]}党支部"
    ident = f"{host.id}-branch-{number + 1}"
    en = f"{names.ENGLISH_ORDINALS[number]} Party Branch of the Organ of the {host.en}"
    return Party(ident, "PartyBranch", f"{district.place.zh}{text}", en, text, (host,),
                 ((ident, "hostedBy", host.id),))


def _institution_party(district: District, institution: tuple[str, str, str, str]) -> Party:
    zh, slug, en, parent = institution
    d = district.place
    if not parent:
        host = Entity(f"org/{d.slug}-{slug}", "PublicInstitution", f"{d.zh}{zh}", f"{d.en} {en}")
        return Party(f"{host.id}-party-branch", "PartyBranch", f"{host.zh}党支部", f"{host.en} Party Branch",
                     f"{host.zh}党支部", (host,), ((f"{host.id}-party-branch", "hostedBy", host.id),))
    bureau = next(b for b in names.BUREAUS if b[1] == parent)
    organ = bureau_entity(district, bureau)
    host = Entity(f"org/{d.slug}-{slug}", "PublicInstitution", f"{organ.zh}{zh}", f"{en} of the {organ.en}",
                  aliases=[f"区{bureau[0]}{zh}"])
    ident = f"{host.id}-party-branch"
    links = ((ident, "hostedBy", host.id), (host.id, "org:subOrganizationOf", organ.id))
    return Party(ident, "PartyBranch", f"{host.zh}党支部", f"Party Branch of the {host.en}",
                 f"区{bureau[0]}{zh}党支部", (host, organ), links)
