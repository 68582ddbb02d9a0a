"""The finance objects of the permission world (tests/permission_world.py): the
"institution" role's bank (杭州市) approved by the city bureau, with a product; enterprise
A's published need open to all approved institutions, with the bank's offer; A in the
listing pipeline."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, Role
from finance.scoring import DEFAULT_FACTORS, DEFAULT_GRADES
from finance.services import institutions, listing, needs, scoring, talks
from tests.factories import UserFactory, region


def finance_world(*, city, member_a, enterprise_a) -> dict:
    """The objects keyed as tests/permission_matrix.PARAMS names them, and the institution
    user under "institution_user"."""
    bank_org = Organisation.objects.create(
        name="杭州数创银行（测试）", kind="bank", region=region("330100")
    )
    banker = UserFactory(role=Role.INSTITUTION, organisation=bank_org)
    bank = institutions.register_institution(bank_org, actor=banker)
    bank = institutions.approve_institution(bank, actor=city)
    product = institutions.add_product(
        bank, actor=banker, name="数据资产质押贷", kind="data_pledge",
        min_amount=Decimal("1000000"), max_amount=Decimal("10000000"),
        min_rate=Decimal("3.2"), max_rate=Decimal("4.5"),
    )  # fmt: skip
    need = needs.create_need(
        enterprise_a, actor=member_a, title="扩产流动资金", kind="debt",
        amount=Decimal("5000000"), purpose="采购服务器", term_months=24,
        needed_by=timezone.localdate() + datetime.timedelta(days=60),
    )  # fmt: skip
    need = needs.publish_need(need, actor=member_a)
    offer = talks.make_offer(
        need, actor=banker, institution=bank, amount=Decimal("4000000"), rate=Decimal("3.85"),
        term_months=24, product=product,
    )  # fmt: skip
    case = listing.open_listing_case(
        enterprise_a, actor=city, target_board="star", adviser="某证券股份有限公司"
    )
    scoring.publish_scorecard(
        actor=None, name="默认", factors=DEFAULT_FACTORS, grades=DEFAULT_GRADES
    )
    score = scoring.score_enterprise(enterprise_a)
    needs.recommend_enterprises(
        actor=city, enterprises=[enterprise_a], institutions=[bank], note="推荐：数据要素优质企业"
    )
    return {
        "institution_user": banker,
        "credit_score": score,
        "finance_institution": bank,
        "finance_need": need,
        "finance_offer": offer,
        "finance_product": product,
        "listing_case": case,
    }
