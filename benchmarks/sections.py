"""The sections of a synthetic article after its lead: each writes its sentences and the entities they
support into an :class:`~benchmarks.article.Article`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from benchmarks import names
from benchmarks.model import Entity, Lang, Quote, Ref, Value
from benchmarks.parties import Pairing, Party, enterprise_party, organ_party

if TYPE_CHECKING:
    from benchmarks.article import Article
    from benchmarks.world import Company, Person

ROLES = {"书记": ("role/secretary", "secretary"), "副书记": ("role/deputy-secretary", "deputy secretary"),
         "常委": ("role/standing-committee-member", "standing committee member"),
         "部长": ("role/department-head", "department head")}


def inner(quote: Quote, words: str) -> Quote:
    """``words`` inside an already written quote."""
    return Quote(words, quote.start + quote.exact.index(words))


def post(a: Article, organisation: Party | Entity, role: str, holder: Person, quote: Quote) -> list[Entity]:
    """The post of ``role`` in ``organisation`` held by ``holder``, the role, and the person."""
    role_id, role_en = ROLES[role]
    slug = organisation.id.removeprefix("org/")
    suffix = role_en.replace(" ", "-")
    a.add_once(Entity(role_id, "org:Role", role, role_en).cite(quote))
    label_en = f"{role_en.capitalize()}, {organisation.en}"
    return [
        Entity(f"post/{slug}-{suffix}", "org:Post", f"{organisation.zh}{role}", label_en).cite(quote)
        .prop("org:postIn", Ref(organisation.id)).prop("org:role", Ref(role_id)).prop("org:heldBy", Ref(holder.id)),
        Entity(holder.id, "foaf:Person", holder.zh, holder.en).cite(quote),
    ]


def visit(a: Article, company: Company) -> None:
    """与会人员参观了X公司, ... (a schema:subEvent of the meeting, held at the host)."""
    a.text.put("与会人员")
    seen = a.text.quote(f"参观了{company.short}")
    a.text.put(",了解企业党建工作方法,学习了党建经验。\n")
    ident = f"event/{a.id}-visit"
    a.add(Entity(ident, "Visit", f"参观{company.short}", f"Visit to {company.en_short}").cite(seen)
          .prop("heldAt", Ref(company.id)),
          a.company_entity(company).cite(inner(seen, company.short)))
    a.blocks[a.ids["meeting"]].prop("schema:subEvent", Ref(ident))


def previous(a: Article) -> None:
    """Phase n - 1 and the results one of its pairings reports (a secretary's account, two outcomes)."""
    t, d, number = a.text, a.d, a.phase - 1
    cn, start_year = names.ORDINALS[number - 1], d.first_year + number - 1
    earlier = [p for p in (d.launched[-1] if d.launched else []) if p.second.type == "PartyBranch"]
    pairs = len(d.launched[-1]) if d.launched else a.rng.randint(3, 8)
    t.put("作为机关党建的重要举措之一,")
    began = t.quote(f"{d.place.zh}从{start_year}年起开展第{cn}期{'“政企共建促发展”'}专题活动")
    t.put(",")
    counted = t.quote(f"共有{pairs}对机关与企业党组织参与共建")
    t.put("。")
    phase = a.phase_entity(number).cite(inner(began, f"第{cn}期"))
    if not d.launched:  # the phase no earlier article launched: its facts are given here
        phase.prop("phaseNumber", Value(str(number), inner(began, f"第{cn}期")))
        phase.prop("schema:startDate", Value(str(start_year), inner(began, f"{d.place.zh}从{start_year}年起")))
        phase.prop("pairCount", Value(str(pairs), counted))
    a.add(phase)
    pairing = earlier[0] if earlier else _earlier_pairing(a, number)
    _report(a, pairing, a.phase_id(number), counted)


def _earlier_pairing(a: Article, number: int) -> Pairing:
    company = a.world.company(a.d.province)
    first = enterprise_party(company, a.rng, itself=a.rng.random() < 0.5)
    ident = f"pairing/{a.d.place.slug}-{number}-{company.id.removeprefix('org/')}"
    return Pairing(ident, first, organ_party(a.d, a.rng), company)


def _report(a: Article, pairing: Pairing, phase_id: str, counted: Quote) -> None:
    t, rng, speaker = a.text, a.rng, a.person()
    organ, partner = pairing.second, pairing.first
    zh, en, part_zh, part_en = rng.choice(names.OUTCOMES)
    total = rng.randint(12, 200)
    part = rng.randint(2, total // 2)
    said = t.quote(f"{organ.text}书记{speaker.zh}")
    t.put("介绍,")
    paired = t.quote(f"该支部与{partner.text}开展结对共建以来")
    t.put(",")
    outcome = t.quote(zh.format(n=total))
    t.put(",")
    share = t.quote(part_zh.format(m=part))
    t.put("。")
    remark = Quote(t.join()[said.start:], said.start)
    t.put("\n")
    a.add(*organ.entities(said), *partner.entities(paired))
    a.add(*post(a, organ, "书记", speaker, said))
    a.add(pairing.entity().cite(paired).prop("party", Ref(partner.id)).prop("party", Ref(organ.id))
          .prop("inPhase", Ref(phase_id, counted)))
    whole, piece = f"outcome/{a.id}-1", f"outcome/{a.id}-2"
    a.add(Entity(whole, "Outcome", outcome.exact, en.format(n=total)).cite(outcome)
          .prop("outcomeOf", Ref(pairing.id)).prop("count", Value(str(total), outcome)),
          Entity(piece, "Outcome", share.exact, part_en.format(m=part)).cite(share)
          .prop("outcomeOf", Ref(pairing.id)).prop("count", Value(str(part), share))
          .prop("partOfOutcome", Ref(whole, Quote(f"{outcome.exact},{share.exact}", outcome.start))))
    a.add(Entity(f"remark/{a.id}-results", "Remark", f"{speaker.zh}介绍与{partner.text}的结对共建",
                 f"{speaker.en} on the pairing with the {partner.en}").cite(remark)
          .prop("spokenBy", Ref(speaker.id)).prop("madeAt", Ref(a.ids["meeting"]))
          .prop("about", Ref(pairing.id)).prop("about", Ref(whole))
          .prop("schema:description", Lang(f"{outcome.exact},{share.exact}", en.format(n=total))))


def activities(a: Article) -> None:
    """根据要求,结对单位将开展“六个共建”活动,包括共上党课、... (the phase's planned activities)."""
    t = a.text
    t.put("根据要求,")
    sentence_start = t.length
    t.put("结对单位将开展“六个共建”活动,包括")
    quotes = []
    for i, (zh, _, _) in enumerate(names.ACTIVITIES):
        quotes.append(t.quote(zh))
        t.put("、" if i < len(names.ACTIVITIES) - 1 else "等")
    sentence = Quote(t.join()[sentence_start:], sentence_start)
    t.put("。\n")
    scheme = "activity/six-co-buildings"
    a.add_once(Entity(scheme, "skos:ConceptScheme", "六个共建", "Six Co-buildings").cite(sentence))
    phase = a.blocks[a.ids["phase"]]
    for quote, (zh, slug, en) in zip(quotes, names.ACTIVITIES, strict=True):
        a.add_once(Entity(f"activity/{slug}", "CoBuildingActivity", zh, en).cite(quote)
              .prop("skos:inScheme", Ref(scheme)))
        phase.prop("plannedActivity", Ref(f"activity/{slug}", sentence))


def partner_remark(a: Article, pairing: Pairing) -> None:
    """对于此次结对, (enterprise party)书记X表示, ... (and, sometimes, when that branch was founded)."""
    t, speaker, partner = a.text, a.person(), pairing.first
    role = a.rng.choice(("书记", "副书记"))
    zh, en = a.rng.choice(names.REMARKS)
    t.put("对于此次结对,")
    said = t.quote(f"{partner.text}{role}{speaker.zh}")
    t.put(f"表示,{zh}。")
    remark = Quote(t.join()[said.start:], said.start)
    a.add(*partner.entities(said), *post(a, partner, role, speaker, said))
    a.add(Entity(f"remark/{a.id}-partner", "Remark", f"{speaker.zh}谈{partner.text}的结对共建",
                 f"{speaker.en} on the pairing of the {partner.en}").cite(remark)
          .prop("spokenBy", Ref(speaker.id)).prop("madeAt", Ref(a.ids["meeting"])).prop("about", Ref(pairing.id))
          .prop("schema:description", Lang(zh, en)))
    if partner.type == "PartyBranch" and a.rng.random() < 0.4:
        founded = a.year - a.rng.randint(1, 8)
        t.put(f"{pairing.company.short}在")
        year = t.quote(f"{founded}年成立党支部")
        t.put("以来,一直坚持以党建作为突破点。")
        a.blocks[partner.id].prop("schema:foundingDate", Value(str(founded), year))
    t.put("\n")


def leader(a: Article) -> None:
    """(district)区委常委、组织部部长X指出, ... (two posts held by one person)."""
    t, d, speaker = a.text, a.d, a.person()
    zh, en = a.rng.choice(names.REMARKS)
    said = t.quote(f"{d.place.zh}区委常委、组织部部长{speaker.zh}")
    t.put(f"指出,{zh}。\n")
    remark = Quote(t.join()[said.start:-1], said.start)
    committee = Entity(f"org/{d.place.slug}-district-committee", "GovernmentAgency", f"{d.place.zh}区委",
                       f"CPC {d.place.en} District Committee").cite(inner(said, f"{d.place.zh}区委"))
    department = Entity(f"org/{d.place.slug}-organization-department", "GovernmentAgency",
                        f"{d.place.zh}区委组织部", f"Organization Department of the {committee.en}",
                        aliases=["组织部"]).cite(said).prop("org:subOrganizationOf", Ref(committee.id))
    a.add_once(committee, department)
    a.add(*post(a, committee, "常委", speaker, said), *post(a, department, "部长", speaker, said))
    a.add(Entity(f"remark/{a.id}-leader", "Remark", f"{speaker.zh}谈政企共建", f"{speaker.en} on the campaign")
          .cite(remark).prop("spokenBy", Ref(speaker.id)).prop("madeAt", Ref(a.ids["meeting"]))
          .prop("about", Ref(a.ids["programme"])).prop("schema:description", Lang(zh, en)))


def pair_list(a: Article, pairs: list[Pairing]) -> None:
    """相关链接: the phase's new pairings, one line each, and how many there are."""
    t, cn = a.text, names.ORDINALS[a.phase - 1]
    t.put("相关链接\n")
    listed = t.quote(f"第{cn}期结对单位")
    t.put("(")
    counted = t.quote(f"共{len(pairs)}组")
    t.put("):\n")
    a.blocks[a.ids["phase"]].prop("pairCount", Value(str(len(pairs)), counted))
    for i, pairing in enumerate(pairs):
        line = t.quote(f"{pairing.first.text}和{pairing.second.text}")
        t.put(";\n" if i < len(pairs) - 1 else "。\n")
        a.add(*pairing.first.entities(line), *pairing.second.entities(line))
        a.add(pairing.entity().cite(line).prop("party", Ref(pairing.first.id)).prop("party", Ref(pairing.second.id))
              .prop("inPhase", Ref(a.ids["phase"], listed)).prop("signedAt", Ref(a.ids["signing"])))
