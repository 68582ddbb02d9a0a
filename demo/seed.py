"""Demo data: a login for every role, a few enterprises registered through the services,
and a deterministic bulk of fictional enterprises for lists, reports and benchmarks.

Idempotent: every row is looked up by its natural key (e-mail, USCC) before it is
made, and the bulk set is the same sequence of a seeded generator on every run, so a
second run adds nothing. Everything runs in one transaction.
"""

import datetime
import functools
import random
from bisect import bisect
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate, batched

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Organisation, Region, Role, User
from accounts.services import create_account
from demo import names
from demo.adjustment_seed import seed_adjustment
from demo.finance_seed import seed_finance
from demo.monitoring_seed import seed_monitoring
from demo.names import ADMIN_EMAIL, JOINER, LOGIN_EMAILS, NAMED, STAFF, DemoUser
from demo.policy_seed import seed_policies
from demo.reports_seed import seed_reports
from demo.resources_seed import seed_resources
from demo.scenarios_seed import seed_scenarios
from demo.selection_seed import seed_selection
from demo.verification_seed import seed_verification
from demo.vouchers_seed import seed_vouchers
from demo.welcome import welcome
from registry.choices import VerificationStatus
from registry.models import Enterprise, RegistryEntry, TierChange
from registry.services import admit_enterprise, register_enterprise, request_membership
from registry.uscc import make_uscc

DEMO_PASSWORD = "Demo#2026"
NAMED_EMAILS = [n.owner.email for n in NAMED]
DEFAULT_ENTERPRISES = 200
RANDOM_SEED = 2026
BATCH_SIZE = 5000
NAMED_SERIAL_BASE = 20_261_000  # USCC serials of the named enterprises
BULK_SERIAL_BASE = 30_000_000  # … and of the generated ones (serial = base + index)
WINDOW_DAYS = 730  # generated enterprises registered over the last two years
# Annual selection rounds (年度遴选): year -> (admission date, reason).
ROUNDS = {
    2024: (datetime.date(2024, 12, 20), "2024年度遴选入库"),
    2025: (datetime.date(2025, 12, 19), "2025年度遴选入库"),
}


def is_seeded() -> bool:
    return User.objects.filter(email=ADMIN_EMAIL).exists()


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with fewer rounds, for seeding only: the demo password is public anyway, and
    the stored hash is upgraded to the full count at the first login (`must_update`)."""

    iterations = 20_000


@contextmanager
def _quick_and_quiet():
    """Cheap hashing for the public demo password; no e-mail to the fictional addresses
    (notifications are still recorded, the e-mail task runs in-process with a dummy mailer)."""
    from config.celery import app

    dummy = "django.core.mail.backends.dummy.EmailBackend"
    if hasattr(settings, "MAILERS"):
        mail = {"MAILERS": {alias: {"BACKEND": dummy} for alias in settings.MAILERS}}
    else:
        mail = {"EMAIL_BACKEND": dummy}
    hashers = settings.PASSWORD_HASHERS
    if hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher":
        hashers = [f"{__name__}.DemoPasswordHasher", *hashers]
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with override_settings(PASSWORD_HASHERS=hashers, **mail):
            yield
    finally:
        app.conf.task_always_eager = eager


def seed_all(*, enterprises: int = DEFAULT_ENTERPRISES, log=print) -> None:
    with _quick_and_quiet(), transaction.atomic():
        users = seed_regions_users(log=log)
        seed_named_enterprises(users, log=log)
        seed_enterprises(enterprises, users, log=log)
        with_owners = {**users, **{u.email: u for u in User.objects.filter(email__in=NAMED_EMAILS)}}
        seed_monitoring(with_owners, NAMED_EMAILS, log=log)
        seed_resources(with_owners, log=log)
        seed_policies(users, log=log)
        seed_selection(users, DEMO_PASSWORD, log=log)
        seed_adjustment(users, DEMO_PASSWORD, log=log)
        seed_verification(users, DEMO_PASSWORD, log=log)
        seed_vouchers(users, DEMO_PASSWORD, log=log)
        seed_finance(users, DEMO_PASSWORD, log=log)
        seed_scenarios(users, DEMO_PASSWORD, log=log)
        seed_reports(users, NAMED_EMAILS, log=log)


def _account(spec: DemoUser) -> dict:
    return {
        "email": spec.email,
        "phone": spec.phone,
        "full_name": spec.full_name,
        "password": DEMO_PASSWORD,
    }


def seed_regions_users(*, log=print) -> dict[str, User]:
    """The staff, panel and partner logins with their organisations, keyed by e-mail."""
    if not Region.objects.filter(code="000000").exists():
        raise RuntimeError("行政区划数据缺失：请先运行 manage.py migrate。")
    regions = {r.code: r for r in Region.objects.filter(code__in={u.region for u in STAFF})}
    users, created = {}, 0
    for spec in STAFF:
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            fields = {}
            if spec.org:
                fields["organisation"], _ = Organisation.objects.get_or_create(
                    name=spec.org, kind=spec.kind, defaults={"region": regions[spec.region]}
                )
            if spec.role == Role.BUREAU:
                fields["region"] = regions[spec.region]
            if spec.role == Role.ADMIN:
                fields.update(is_staff=True, is_superuser=True)
            user = create_account(role=spec.role, **_account(spec), **fields)
            welcome(user)
            created += 1
        users[spec.email] = user
    log(f"演示账号：新建 {created} 个，已有 {len(STAFF) - created} 个")
    return users


def _bureau_for(region, bureaus):
    """The demo bureau user with the narrowest jurisdiction containing `region`."""
    inside = [u for u in bureaus if u.region.contains(region)]
    return max(inside, key=lambda u: len(u.region.path))


def _round(year):
    day, reason = ROUNDS[year]
    return day, reason, f"{year}年度数创企业遴选"


@functools.cache
def _round_time(year):
    day = ROUNDS[year][0]
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


def seed_named_enterprises(users, *, log=print) -> list[Enterprise]:
    """Enterprises registered, joined and admitted through the services (audit + notices)."""
    bureaus = [u for u in users.values() if u.role == Role.BUREAU]
    regions = {r.code: r for r in Region.objects.filter(code__in={n.region for n in NAMED})}
    result, registered, admitted = [], 0, 0
    for k, spec in enumerate(NAMED, start=1):
        uscc = make_uscc(spec.region, NAMED_SERIAL_BASE + k)
        enterprise = Enterprise.objects.filter(uscc=uscc).first()
        if enterprise is None:
            profile = {
                "uscc": uscc,
                "name": spec.name,
                "region": regions[spec.region],
                "industry": spec.industry,
                "category": spec.category,
                "founded_on": spec.founded_on,
                "size": spec.size,
                "listing_status": spec.listing_status,
                "contact_name": spec.owner.full_name,
                "contact_phone": spec.owner.phone,
                "contact_email": spec.owner.email,
                "website": f"https://www.{spec.domain}.example.cn",
                "description": spec.description,
            }
            enterprise = register_enterprise(account=_account(spec.owner), profile=profile)
            welcome(User.objects.get(email=spec.owner.email))
            registered_at = timezone.now() - datetime.timedelta(days=spec.days_ago, hours=3)
            # Registered before verification existed, as the migration treats them.
            Enterprise.objects.filter(pk=enterprise.pk).update(
                created_at=registered_at, verification_status=VerificationStatus.VERIFIED
            )
            enterprise.refresh_from_db()
            registered += 1
        if spec.tier and not RegistryEntry.objects.filter(enterprise=enterprise).exists():
            day, reason, source = _round(spec.round_year)
            entry = admit_enterprise(
                enterprise,
                tier=spec.tier,
                category=spec.category,
                actor=_bureau_for(enterprise.region, bureaus),
                reason=reason,
                source=source,
                admitted_on=day,
            )
            entry.changes.update(created_at=_round_time(spec.round_year))
            admitted += 1
        result.append(enterprise)
    joined = 0
    if not User.objects.filter(email=JOINER.email).exists():
        request_membership(
            account=_account(JOINER),
            uscc=result[0].uscc,
            note="我是公司数据产品部负责人，申请加入以便填报年度监测数据。",
        )
        welcome(User.objects.get(email=JOINER.email))
        joined = 1
    log(f"示范企业（经注册流程）：新建 {registered} 家，入库 {admitted} 家，加入申请 {joined} 条")
    return result


def _picker(draw, weighted: dict):
    keys, cum = list(weighted), list(accumulate(weighted.values()))
    return lambda: keys[bisect(cum, draw() * cum[-1])]


FOUNDED_FROM, FOUNDED_TO = datetime.date(2008, 1, 1), datetime.date(2025, 12, 31)


@dataclass(slots=True)
class Generated:
    enterprise: Enterprise  # unsaved
    tier: str  # "" = not admitted
    round_year: int


def enterprise_specs(count: int, *, region_ids: dict, now: datetime.datetime, taken: set[str]):
    """The generated enterprises, in order: enterprise i is the same whatever `count` is.

    Only `created_at` depends on `now`, and it never changes how many draws are made.
    """
    today = timezone.localdate(now)
    draw = random.Random(RANDOM_SEED).random  # one draw per decision keeps this fast

    def pick(seq):
        return seq[int(draw() * len(seq))]

    city = _picker(draw, {code: w for code, (_, _, w) in names.CITIES.items()})
    industry_of = _picker(draw, names.INDUSTRY_WEIGHTS)
    category_of = {code: _picker(draw, w) for code, w in names.CATEGORY_BY_INDUSTRY.items()}
    size_of, listing_of = _picker(draw, names.SIZES), _picker(draw, names.LISTINGS)
    tier_of = _picker(draw, names.TIERS)
    span = (FOUNDED_TO - FOUNDED_FROM).days + 1
    for i in range(count):
        code, industry = city(), industry_of()
        category, size, listing = category_of[industry](), size_of(), listing_of()
        legal = "股份有限公司" if listing != "unlisted" or draw() < 0.08 else "有限公司"
        short, city_py, _ = names.CITIES[code]
        stem, domain = _unique_stem(pick, short, city_py, industry, taken)
        founded = FOUNDED_FROM + datetime.timedelta(days=int(draw() * span))
        tier, year = "", 0
        if draw() < 0.42 and founded <= datetime.date(2025, 6, 30):
            tier = tier_of()
            year = 2025 if founded > datetime.date(2024, 6, 30) or draw() < 0.65 else 2024
        if size in ("micro", "small") and (listing != "unlisted" or tier == "leading"):
            size = "medium"
        focus, client, other = pick(names.FOCUS[industry]), pick(names.CLIENTS), pick(names.CLIENTS)
        clients = client if client == other else f"{client}和{other}"
        person = pick(names.SURNAMES) + pick(names.GIVEN_NAMES)
        phone = pick(names.MOBILE_PREFIXES) + f"{int(draw() * 10**8):08d}"
        # Registered in the portal after founding and (if admitted) a week before its round.
        oldest = min(WINDOW_DAYS, (today - founded).days)
        newest = (today - ROUNDS[year][0]).days + 7 if tier else 0
        recent, where = draw() < 0.06, draw()
        if recent and not tier:
            oldest = min(oldest, 6)
        days_ago = newest + int(where * (max(oldest, newest) - newest + 1))
        minutes = 1 + int(where * 1e7) % 900
        enterprise = Enterprise(
            uscc=make_uscc(code, BULK_SERIAL_BASE + i),
            name=stem + legal,
            region_id=region_ids[code],
            industry=industry,
            category=category,
            founded_on=founded,
            size=size,
            listing_status=listing,
            contact_name=person,
            contact_phone=phone,
            contact_email=f"contact@{domain}.example.cn",
            website=f"https://www.{domain}.example.cn",
            description=f"公司专注于{focus}，为{clients}提供{names.OFFERINGS[category]}。",
            created_at=now - datetime.timedelta(days=days_ago, minutes=minutes),
            verification_status=VerificationStatus.VERIFIED,
        )
        yield Generated(enterprise, tier, year)


def _unique_stem(pick, short, city_py, industry, taken):
    """`{city}{字号}{industry word}`, unique among all demo names; longer 字号 if crowded."""
    for attempt in range(60):
        syllables = [pick(names.SYLLABLES) for _ in range(2 if attempt < 40 else 3)]
        zihao = "".join(s for s, _ in syllables)
        stem = short + zihao + pick(names.INDUSTRY_WORDS[industry])
        if stem not in taken and len(set(zihao)) == len(zihao):
            taken.add(stem)
            return stem, "".join(p for _, p in syllables) + city_py
    raise RuntimeError("演示企业名称已用尽，请减少 --enterprises。")


def seed_enterprises(total: int, users, *, log=print) -> int:
    """Generated enterprises by bulk insert, ~40% admitted, up to `total` demo enterprises."""
    count, now = max(0, total - len(NAMED)), timezone.now()
    bureaus = [u for u in users.values() if u.role == Role.BUREAU]
    regions = Region.objects.filter(code__in=names.CITIES)
    confirmer = {r.pk: _bureau_for(r, bureaus).pk for r in regions}
    taken = {n.name.removesuffix("股份有限公司").removesuffix("有限公司") for n in NAMED}
    region_ids = {r.code: r.pk for r in regions}
    specs = enterprise_specs(count, region_ids=region_ids, now=now, taken=taken)
    created = admitted = seen = 0
    for batch in batched(specs, BATCH_SIZE):
        usccs = [g.enterprise.uscc for g in batch]
        existing = set(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", flat=True))
        fresh = [g.enterprise for g in batch if g.enterprise.uscc not in existing]
        Enterprise.objects.bulk_create(fresh, batch_size=BATCH_SIZE, ignore_conflicts=True)
        chosen = {g.enterprise.uscc: g for g in batch if g.tier}
        ids = Enterprise.objects.filter(uscc__in=chosen).values_list("uscc", "id")
        admitted += _admit_bulk({pk: chosen[uscc] for uscc, pk in ids}, confirmer)
        created, seen = created + len(fresh), seen + len(batch)
        if count > BATCH_SIZE:
            log(f"  … 已处理 {seen} / {count} 家")
    log(f"批量企业：新建 {created} 家，其中入库 {admitted} 家")
    return created


def _admit_bulk(admitted: dict, confirmer) -> int:
    """A RegistryEntry and its first TierChange for each enterprise not yet in the registry."""
    have = RegistryEntry.objects.filter(enterprise_id__in=admitted).values_list("enterprise_id")
    have = {pk for (pk,) in have}
    missing = [pk for pk in admitted if pk not in have]
    regions = {g.enterprise.region_id for g in admitted.values()}
    by_path = dict(Region.objects.filter(level="province").values_list("path", "id"))
    province = {
        pk: by_path[path[:14]]
        for pk, path in Region.objects.filter(pk__in=regions).values_list("pk", "path")
    }
    RegistryEntry.objects.bulk_create(
        [
            RegistryEntry(
                enterprise_id=pk,
                tier=admitted[pk].tier,
                category=admitted[pk].enterprise.category,
                admitted_on=ROUNDS[admitted[pk].round_year][0],
                jurisdiction_id=province[admitted[pk].enterprise.region_id],
            )
            for pk in missing
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    entries = RegistryEntry.objects.filter(enterprise_id__in=missing).values_list(
        "id", "enterprise_id"
    )
    changes = []
    for entry_id, pk in entries:
        g = admitted[pk]
        _, reason, source = _round(g.round_year)
        changes.append(
            TierChange(entry_id=entry_id, to_tier=g.tier, reason=reason, source=source,
                       confirmed_by_id=confirmer[g.enterprise.region_id],
                       created_at=_round_time(g.round_year))
        )  # fmt: skip
    TierChange.objects.bulk_create(changes, batch_size=BATCH_SIZE)
    return len(changes)


def login_rows() -> list[tuple[str, str, str, str, str]]:
    """One demo login per role: (role label, organisation, e-mail, phone, password)."""
    users = User.objects.filter(email__in=LOGIN_EMAILS).select_related("organisation")
    by_email, rows = {u.email: u for u in users}, []
    for email in LOGIN_EMAILS:
        if user := by_email.get(email):
            where = user.organisation.name if user.organisation else ""
            if membership := user.memberships.active().select_related("enterprise").first():
                where = membership.enterprise.name
            rows.append((str(user.get_role_display()), where, email, user.phone, DEMO_PASSWORD))
    return rows


def other_logins() -> list[str]:
    from demo.adjustment_seed import APPELLANT
    from demo.finance_seed import INSTITUTIONS
    from demo.scenarios_seed import PUBLISHER2
    from demo.selection_seed import EXTRA_PANELISTS
    from demo.verification_seed import RETURNED_OWNER
    from demo.vouchers_seed import PROVIDER2

    emails = [u.email for u in STAFF] + [n.owner.email for n in NAMED] + [JOINER.email]
    emails += [row[0] for row in EXTRA_PANELISTS]
    # Only when the demo had enough enterprises for the appeal story to be seeded.
    emails += [e for e in [APPELLANT["email"]] if User.objects.filter(email=e).exists()]
    emails += [e for e in [RETURNED_OWNER["email"]] if User.objects.filter(email=e).exists()]
    emails += [e for e in [PROVIDER2[0]] if User.objects.filter(email=e).exists()]
    emails += [r[0] for r in INSTITUTIONS if User.objects.filter(email=r[0]).exists()]
    emails += [e for e in [PUBLISHER2[0]] if User.objects.filter(email=e).exists()]
    return [e for e in emails if e not in LOGIN_EMAILS]
