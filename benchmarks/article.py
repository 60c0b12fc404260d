"""One synthetic article, written the way the real one reads, and its curated facts.

Each article reports a district's meeting that launches phase *n* of its “政企共建促发展” programme: the lead,
the results of one pairing of phase *n - 1* (a secretary, an outcome with a count and a part of it), what a
new partner and sometimes a district leader said, sometimes the “六个共建” and a branch's founding year, and
the list of the phase's new pairings. The pairing reported on is one the district's previous article
launched, so consecutive articles share organisations, people's posts, phases and pairings.
"""

from __future__ import annotations

import random

from benchmarks import names, sections
from benchmarks.model import Entity, Lang, Quote, Ref, Text, Value, render_entity
from benchmarks.parties import Pairing, enterprise_party, organ_party
from benchmarks.sections import inner
from benchmarks.world import Company, District, Person, World

CAMPAIGN = "“政企共建促发展”"
CAMPAIGN_EN = "“Government–Enterprise Co-building for Development” campaign"


class Article:
    """Writes one article of ``district``: the next phase of its programme, in the next year."""

    def __init__(self, world: World, district: District, rng: random.Random) -> None:
        self.world, self.d, self.rng = world, district, rng
        self.phase = len(district.launched) + 2
        self.year = district.first_year + self.phase - 1
        self.month, self.day = rng.randint(1, 12), rng.randint(1, 28)
        self.id = f"{district.place.slug}-{self.year}-{self.month:02d}-{self.day:02d}"
        self.text, self.blocks, self.people = Text(), dict[str, Entity](), set[str]()
        place = district.place
        self.ids = {"district": f"place/{place.slug}", "programme": f"programme/{place.slug}-zqgj",
                    "phase": self.phase_id(self.phase), "meeting": f"event/{self.id}-meeting",
                    "signing": f"event/{self.id}-signing", "launch": f"event/{self.id}-launch"}

    def phase_id(self, number: int) -> str:
        return f"phase/{self.d.place.slug}-zqgj-{number}"

    def add(self, *entities: Entity) -> None:
        """Add entity blocks; a second block with the same id merges into the first.

        A merged block keeps the quotes of the first mention only: each quoted span costs the graph an
        evidence node and a selector (11 triples), and one is enough to show where an entity is named.
        """
        for found in entities:
            known = self.blocks.get(found.id)
            if known is None:
                self.blocks[found.id] = found
                continue
            assert (known.type, known.zh, known.en) == (found.type, found.zh, found.en), found.id
            known.aliases.extend(a for a in found.aliases if a not in known.aliases)
            for key, value in found.props:
                known.prop(key, value)

    def add_once(self, *entities: Entity) -> None:
        """Add entity blocks the corpus needs once (places, the programme, roles, the six co-buildings): an
        article naming one that an earlier article already curated only refers to it, by id."""
        for found in entities:
            if found.id not in self.world.defined or found.id in self.blocks:
                self.world.defined.add(found.id)
                self.add(found)

    def write(self) -> tuple[str, str]:
        """The article text and its curated YAML."""
        pairs = self.new_pairings()
        self.lead(pairs)
        if self.rng.random() < 0.2:
            sections.visit(self, pairs[0].company)
        sections.previous(self)
        if self.rng.random() < 0.15:
            sections.activities(self)
        sections.partner_remark(self, pairs[0])
        if self.rng.random() < 0.2:
            sections.leader(self)
        sections.pair_list(self, pairs)
        self.d.launched.append(pairs)
        text = self.text.join()
        return text, self.render(text)

    def new_pairings(self) -> list[Pairing]:
        """1-3 new pairings, each of a new enterprise's party organisation with an organ's party branch."""
        pairs: list[Pairing] = []
        for _ in range(self.rng.choices((1, 2, 3), (4, 2, 1))[0]):
            company = self.world.company(self.d.province)
            first = enterprise_party(company, self.rng)
            second = organ_party(self.d, self.rng, itself=self.rng.random() < 0.1)
            while second.id in {p.second.id for p in pairs}:
                second = organ_party(self.d, self.rng)
            ident = f"pairing/{self.d.place.slug}-{self.phase}-{company.id.removeprefix('org/')}"
            pairs.append(Pairing(ident, first, second, company))
        return pairs

    def person(self) -> Person:
        found = self.world.person(self.people)
        self.people.add(found.zh)
        return found

    def lead(self, pairs: list[Pairing]) -> None:
        """随着N组共建单位签约, ... 第N期正式启动。M月D日, ...会议在(host)举行, ..."""
        t, d, host = self.text, self.d, pairs[0].company
        dz, cn = d.place.zh, names.ORDINALS[self.phase - 1]
        t.put("随着")
        signing = t.quote(f"{len(pairs)}组共建单位签约")
        t.put(",")
        headline = t.quote(f"{dz}区{CAMPAIGN}专题活动第{cn}期正式启动")
        t.put("。")
        first_sentence = Quote(t.join(), 0)
        date = t.quote(f"{self.month}月{self.day}日")
        t.put(",")
        committee = f"中共{d.city.zh}市{dz}区直属机关工作委员会"
        meeting = t.quote(f"{committee}(扩大)会议在{host.full}举行")
        t.put(f",现场签约后的{len(pairs)}组机关与企业党组织,将通过结对共建,优势互补,共同发力,推动{dz}党建高质量发展,"
              f"进而为{dz}建设")
        province = t.quote(f"{d.province.zh}省")
        t.put("高质量发展实验区贡献党建力量。\n")
        self.article_entity(first_sentence, headline, date)
        self.places(inner(meeting, f"{d.city.zh}市{dz}区"), province)
        self.programme_and_phase(inner(headline, f"{dz}区{CAMPAIGN}专题活动"), inner(headline, f"第{cn}期正式启动"),
                                 date)
        self.meeting(meeting, committee, date, host)
        self.add(Entity(self.ids["signing"], "SigningCeremony", "结对共建书签署仪式",
                        "Signing ceremony of the pairing agreements").cite(signing))

    def article_entity(self, first_sentence: Quote, headline: Quote, date: Quote) -> None:
        en = f"Phase {self.phase} of {self.d.place.en} District's {CAMPAIGN_EN} launched"
        self.article = Entity(self.id, "schema:NewsArticle", headline.exact, en).cite(first_sentence)
        self.article.prop("dcterms:date", Value(f"{self.year}-{self.month:02d}-{self.day:02d}", date))
        self.article.prop("schema:headline", Lang(headline.exact, en, headline))

    def places(self, district: Quote, province: Quote) -> None:
        d = self.d
        city_id, province_id = f"place/{d.city.slug}", f"place/{d.province.slug}"
        self.add_once(Entity(self.ids["district"], "schema:AdministrativeArea", district.exact,
                        f"{d.place.en} District, {d.city.en}", aliases=[f"{d.place.zh}区", d.place.zh],
                        ).cite(district).prop("locatedIn", Ref(city_id, district)),
                 Entity(city_id, "schema:AdministrativeArea", f"{d.city.zh}市", d.city.en)
                 .cite(inner(district, f"{d.city.zh}市")).prop("locatedIn", Ref(province_id)),
                 Entity(province_id, "schema:AdministrativeArea", province.exact, f"{d.province.en} Province")
                 .cite(province))

    def programme_and_phase(self, programme: Quote, launch: Quote, date: Quote) -> None:
        d, cn = self.d, names.ORDINALS[self.phase - 1]
        self.add_once(Entity(self.ids["programme"], "Programme", programme.exact,
                        f"{d.place.en} District {CAMPAIGN_EN}").cite(programme)
                 .prop("schema:location", Ref(self.ids["district"])))
        self.add(self.phase_entity(self.phase).cite(launch)
                 .prop("phaseNumber", Value(str(self.phase), launch))
                 .prop("schema:startDate", Value(f"{self.year}-{self.month:02d}", date)))
        self.add(Entity(self.ids["launch"], "LaunchCeremony", f"{CAMPAIGN}活动第{cn}期启动仪式",
                        f"Launch ceremony of phase {self.phase} of the {CAMPAIGN_EN}").cite(launch)
                 .prop("launchedPhase", Ref(self.ids["phase"])))

    def phase_entity(self, number: int) -> Entity:
        d, cn = self.d, names.ORDINALS[number - 1]
        return Entity(self.phase_id(number), "ProgrammePhase", f"{d.place.zh}区{CAMPAIGN}专题活动第{cn}期",
                      f"Phase {number} of the {d.place.en} District {CAMPAIGN_EN}").prop(
                          "phaseOf", Ref(self.ids["programme"]))

    def meeting(self, meeting: Quote, committee: str, date: Quote, host: Company) -> None:
        d = self.d
        committee_en = f"CPC Working Committee of Organs Directly under {d.city.en} {d.place.en} District"
        committee_id = f"org/{d.place.slug}-organs-working-committee"
        self.add_once(Entity(committee_id, "GovernmentAgency", committee, committee_en).cite(inner(meeting, committee)))
        self.add(self.company_entity(host).cite(inner(meeting, host.full)))
        self.add(Entity(self.ids["meeting"], "Meeting", f"{committee}(扩大)会议",
                        f"Enlarged meeting of the {committee_en}").cite(meeting)
                 .prop("schema:startDate", Value(f"{self.year}-{self.month:02d}-{self.day:02d}", date))
                 .prop("heldAt", Ref(host.id))
                 .prop("schema:organizer", Ref(committee_id))
                 .prop("schema:location", Ref(self.ids["district"]))
                 .prop("schema:subEvent", Ref(self.ids["signing"]))
                 .prop("schema:subEvent", Ref(self.ids["launch"])))

    @staticmethod
    def company_entity(company: Company) -> Entity:
        note = "Its ownership is not printed, so it is typed Enterprise only." if company.type == "Enterprise" else None
        return Entity(company.id, company.type, company.full, company.en, aliases=[company.short], note=note)

    def render(self, text: str) -> str:
        """The curated YAML of the article (format: docs/design.md)."""
        head = render_entity(self.article, text, indent="")
        lines = ["# Synthetic article generated by benchmarks/generate.py (format: docs/design.md).", "",
                 "article:", head[0], f"  text: {self.id}.txt", f"  evidence_key: {self.id}", *head[1:], "",
                 "entities:"]
        for block in self.blocks.values():
            lines += ["", *render_entity(block, text)]
        return "\n".join(lines) + "\n"
