"""The declared permission matrix: per URL name, who gets what (tests/test_permission_matrix.py).

Outcomes: OK (allowed: 200, a redirect that is not to the login, 400 or 405 — anything
but a refusal), LOGIN (302 to the login page, or 401 from the API), DENIED (403),
HIDDEN (404: the object is outside the caller's view). A value "GET/writes" such as
f"{OK}/{DENIED}" declares GET and the write methods apart.
"""

OK, LOGIN, DENIED, HIDDEN = "ok", "login", "403", "404"
ADMIN = "admin (every /admin/ URL)"

# Path parameters: which world object (tests/permission_world.py) fills them.
DEFAULT_PARAMS = {"year": 2025, "code": "330100", "action": "accept", "rest": ""}
PARAMS = {
    "registry:enterprise-detail": {"pk": "enterprise"},
    "registry:enterprise-edit": {"pk": "enterprise"},
    "registry:membership-decide": {"pk": "membership"},
    "registry:member-remove": {"pk": "member_a_membership"},
    "registry:member-make-admin": {"pk": "member_a_membership"},
    "registry:enterprise-leave": {"pk": "enterprise"},
    "registry:verification": {"pk": "unverified_enterprise"},
    "registry:verification-upload": {"pk": "unverified_enterprise"},
    "registry:verification-submit": {"pk": "unverified_enterprise"},
    "registry:verification-decide": {"pk": "unverified_enterprise"},
    "registry:document-download": {"pk": "document"},
    "registry:transfer-decide": {"pk": "transfer"},
    "enterprise-documents": {"pk": "unverified_enterprise"},
    "enterprise-submit-verification": {"pk": "unverified_enterprise"},
    "enterprise-approve-verification": {"pk": "unverified_enterprise"},
    "enterprise-return-verification": {"pk": "unverified_enterprise"},
    "transfer-request-detail": {"pk": "transfer"},
    "transfer-request-accept": {"pk": "transfer"},
    "transfer-request-reject": {"pk": "transfer"},
    "transfer-request-withdraw": {"pk": "transfer"},
    "registry:transfer-withdraw": {"pk": "transfer"},
    "registry:report-accept": {"pk": "report"},
    "registry:report-return": {"pk": "report"},
    "registry:report-review": {"pk": "report"},
    "registry:service-add": {"pk": "enterprise"},
    "registry:service-done": {"pk": "service"},
    "registry:service-edit": {"pk": "service"},
    "registry:service-delete": {"pk": "service"},
    "registry:record-add": {"pk": "enterprise"},
    "registry:record-revoke": {"pk": "record"},
    "selection:round-detail": {"pk": "round"},
    "selection:round-edit": {"pk": "round"},
    "selection:round-rules": {"pk": "round"},
    "selection:round-rubric": {"pk": "round"},
    "selection:round-transition": {"pk": "round"},
    "selection:application-start": {"pk": "round"},
    "selection:application-detail": {"pk": "application"},
    "selection:application-edit": {"pk": "application"},
    "selection:application-submit": {"pk": "application"},
    "selection:application-withdraw": {"pk": "application"},
    "selection:application-review": {"pk": "application"},
    "selection:attachment-add": {"pk": "application"},
    "selection:attachment-download": {"pk": "application", "attachment_pk": "attachment"},
    "selection:attachment-remove": {"pk": "application", "attachment_pk": "attachment"},
    "selection:panel-manage": {"pk": "round"},
    "selection:panel-assign": {"pk": "round"},
    "selection:panel-member-remove": {"pk": "round", "member_pk": "panel_member"},
    "selection:conflict-dismiss": {"pk": "conflict"},
    "selection:conflict-report-decide": {"pk": "conflict_report"},
    "selection:assignment-add": {"pk": "round", "application_pk": "application"},
    "selection:assignment-replace": {"pk": "round", "application_pk": "application"},
    "selection:panel-candidates": {"pk": "round"},
    "selection:assignment-remove": {"pk": "round", "assignment_pk": "assignment"},
    "selection:results": {"pk": "round"},
    "reports:round-results-pdf": {"pk": "round"},
    "reports:round-minutes-pdf": {"pk": "round"},
    "reports:round-results-public-pdf": {"pk": "noticed_round"},
    "reports:enterprise-profile-pdf": {"pk": "enterprise"},
    "reports:program-statement-pdf": {"pk": "voucher_program"},
    "reports:round-document-start": {"pk": "round", "kind": "results"},
    "reports:round-document-detail": {"pk": "round_document_run"},
    "reports:round-document-progress": {"pk": "round_document_run"},
    "reports:round-document-download": {"pk": "round_document_run"},
    "reports:certificate-issue": {"pk": "enterprise"},
    "reports:certificate-pdf": {"pk": "enterprise"},
    "reports:certificate-verify": {"code": "certificate_code"},
    "reports:annual-detail": {"pk": "annual_run"},
    "reports:annual-progress": {"pk": "annual_run"},
    "reports:annual-download": {"pk": "annual_run"},
    "document-round-results": {"pk": "round"},
    "document-round-minutes": {"pk": "round"},
    "document-round-notice": {"pk": "noticed_round"},
    "document-enterprise-profile": {"pk": "enterprise"},
    "document-certificate": {"pk": "enterprise"},
    "certificate-verify": {"code": "certificate_code"},
    "annual-cultivation-report-detail": {"pk": "annual_run"},
    "annual-cultivation-report-download": {"pk": "annual_run"},
    "selection:run-start": {"pk": "round"},
    "selection:run-progress": {"pk": "round"},
    "selection:results-confirm": {"pk": "round"},
    "selection:results-override": {"pk": "round", "application_pk": "application"},
    "selection:objection-list": {"pk": "noticed_round"},
    "selection:objection-resolve": {"pk": "objection"},
    "selection:objection-evidence": {"pk": "objection"},
    "selection:objection-file": {"application_pk": "noticed_application"},
    "selection:sheet-detail": {"pk": "sheet"},
    "selection:conflict-declare": {"pk": "sheet"},
    "adjustment:proposal-detail": {"pk": "proposal"},
    "adjustment:proposal-decide": {"pk": "proposal"},
    "adjustment:appeal-file": {"pk": "proposal"},
    "adjustment:appeal-decide": {"pk": "proposal"},
    "policies:policy-detail": {"pk": "policy"},
    "policies:policy-edit": {"pk": "policy"},
    "policies:policy-publish": {"pk": "policy"},
    "policies:policy-withdraw": {"pk": "policy"},
    "policies:policy-rematch": {"pk": "policy"},
    "policies:policy-progress": {"pk": "policy"},
    "policies:grant-deliver": {"pk": "grant"},
    "policies:grant-respond": {"pk": "grant"},
    "resources:resource-detail": {"pk": "resource"},
    "resources:resource-edit": {"pk": "resource"},
    "resources:resource-change": {"pk": "resource"},
    "resources:resource-cancel-request": {"pk": "resource"},
    "resources:resource-act": {"pk": "resource"},
    "resources:revision-decide": {"pk": "revision"},
    "vouchers:program-detail": {"pk": "voucher_program"},
    "vouchers:program-edit": {"pk": "voucher_program"},
    "vouchers:program-dashboard": {"pk": "voucher_program"},
    "vouchers:apply": {"pk": "voucher_program"},
    "vouchers:program-join": {"pk": "voucher_program"},
    "vouchers:program-act": {"pk": "voucher_program", "action": "close"},
    "vouchers:membership-act": {"pk": "voucher_membership", "action": "approve"},
    "vouchers:application-detail": {"pk": "voucher_application"},
    "vouchers:application-withdraw": {"pk": "voucher_application"},
    "vouchers:application-resubmit": {"pk": "voucher_application"},
    "vouchers:claim-resubmit": {"pk": "voucher_claim"},
    "vouchers:application-act": {"pk": "voucher_application", "action": "return"},
    "vouchers:voucher-detail": {"pk": "voucher"},
    "vouchers:claim-file": {"pk": "voucher"},
    "vouchers:voucher-cancel": {"pk": "voucher"},
    "vouchers:claim-detail": {"pk": "voucher_claim"},
    "vouchers:claim-act": {"pk": "voucher_claim", "action": "confirm"},
    "vouchers:product-edit": {"pk": "voucher_product"},
    "vouchers:check": {"token": "voucher_token"},
    "finance:need-detail": {"pk": "finance_need"},
    "finance:need-message": {"pk": "finance_need"},
    "finance:need-meeting": {"pk": "finance_need"},
    "finance:offer-create": {"pk": "finance_need"},
    "finance:need-act": {"pk": "finance_need", "action": "publish"},
    "finance:offer-act": {"pk": "finance_offer", "action": "accept"},
    "finance:product-edit": {"pk": "finance_product"},
    "finance:enterprise-detail": {"pk": "enterprise"},
    "finance:product-act": {"pk": "finance_product", "action": "deactivate"},
    "finance:institution-act": {"pk": "finance_institution", "action": "approve"},
    "finance:listing-advance": {"pk": "listing_case"},
    **{f"institution-{n}": {"pk": "finance_institution"} for n in ("detail", "approve", "suspend")},
    **{
        f"financial-product-{n}": {"pk": "finance_product"}
        for n in ("detail", "deactivate", "reactivate")
    },
    **{
        f"financing-need-{n}": {"pk": "finance_need"}
        for n in ("detail", "publish", "withdraw", "interest", "offer", "message")
    },
    **{
        f"financing-offer-{n}": {"pk": "finance_offer"}
        for n in ("detail", "accept", "decline", "fund")
    },
    "credit-score-detail": {"pk": "credit_score"},
    **{f"listing-case-{n}": {"pk": "listing_case"} for n in ("detail", "advance")},
    **{
        f"scenarios:{n}": {"pk": "scenario"}
        for n in ("scenario-detail", "scenario-edit", "respond", "award")
    },
    "scenarios:scenario-act": {"pk": "scenario", "action": "publish"},
    "scenarios:list-detail": {"pk": "scenario_list"},
    **{
        f"scenario-{n}": {"pk": "scenario"}
        for n in ("detail", "submit", "publish", "return-", "close", "cancel", "respond", "award")
    },
    **{
        f"scenario-response-{n}": {"pk": "scenario_response"}
        for n in ("detail", "shortlist", "withdraw", "outcome", "messages")
    },
    **{
        f"scenario-publisher-{n}": {"pk": "scenario_publisher"}
        for n in ("detail", "approve", "reject")
    },
    **{f"first-purchase-{n}": {"pk": "first_purchase"} for n in ("detail", "confirm", "reject")},
    "scenarios:scenario-create": {"pk": "scenario_list"},
    "scenarios:response-detail": {"pk": "scenario_response"},
    "scenarios:response-act": {"pk": "scenario_response", "action": "shortlist"},
    "scenarios:publisher-act": {"pk": "scenario_publisher", "action": "approve"},
    "scenarios:first-purchase-act": {"pk": "first_purchase", "action": "confirm"},
    **{
        f"scenarios:{n}": {"pk": "scenario"}
        for n in ("recommended-enterprises", "scenario-attachment")
    },
    "scenario-recommended-enterprises": {"pk": "scenario"},
    "scenarios:response-attachment": {"pk": "scenario_response"},
    "scenarios:list-recommendation-progress": {"pk": "scenario_list"},
    "scenarios:case-mark": {"pk": "scenario_done_response"},
    **{f"scenarios:case-{n}": {"pk": "typical_case"} for n in ("detail", "unpublish")},
    "typical-case-detail": {"pk": "typical_case"},
    # The API: its routes are named after the router's basename.
    "enterprise-detail": {"pk": "enterprise"},
    "annual-report-detail": {"pk": "report"},
    "service-record-detail": {"pk": "service"},
    "growth-label-detail": {"pk": "label"},
    "policy-detail": {"pk": "policy"},
    "policy-publish": {"pk": "policy"},
    "policy-withdraw": {"pk": "policy"},
    "policy-grant-detail": {"pk": "grant"},
    "policy-grant-accept": {"pk": "grant"},
    "policy-grant-decline": {"pk": "grant"},
    "policy-grant-deliver": {"pk": "grant"},
    "exports:start": {"list_name": "enterprises"},
    "exports:detail": {"pk": "export"},
    "exports:progress": {"pk": "export"},
    "exports:download": {"pk": "export"},
    "export-detail": {"pk": "export"},
    "export-download": {"pk": "export"},
    "round-detail": {"pk": "round"},
    "application-detail": {"pk": "application"},
    "score-sheet-detail": {"pk": "sheet"},
    "adjustment-proposal-detail": {"pk": "proposal"},
    "adjustment-proposal-amend": {"pk": "proposal"},
    "adjustment-proposal-appeal": {"pk": "proposal"},
    "adjustment-proposal-confirm": {"pk": "proposal"},
    "adjustment-proposal-decide-appeal": {"pk": "proposal"},
    "adjustment-proposal-reject": {"pk": "proposal"},
    "adjustment-run-detail": {"pk": "adjustment_run"},
    **{
        f"voucher-program-{n}": {"pk": "voucher_program"}
        for n in ("detail", "publish", "new-version", "close", "withdraw", "eligibility")
    },
    "provider-detail": {"pk": "voucher_provider"},
    "provider-join-program": {"pk": "voucher_provider"},
    "api-token-revoke": {"pk": "api_token"},
    "account-token-revoke": {"pk": "api_token"},
    "provider-related-parties": {"pk": "voucher_provider"},
    "provider-product-detail": {"pk": "voucher_product"},
    **{
        f"program-provider-{n}": {"pk": "program_membership"}
        for n in ("detail", "approve", "suspend", "remove")
    },
    **{
        f"voucher-application-{n}": {"pk": "voucher_application"}
        for n in ("detail", "approve", "return-", "reject", "withdraw", "resubmit")
    },
    **{f"voucher-{n}": {"pk": "voucher"} for n in ("detail", "cancel")},
    **{
        f"claim-{n}": {"pk": "claim"}
        for n in ("detail", "confirm", "verify", "settle", "return-", "reject", "resubmit")
    },
    "ledger-entry-detail": {"pk": "ledger_entry"},
    "reconciliation-detail": {"pk": "voucher_program"},
    **{
        f"data-resource-{name}": {"pk": "resource"}
        for name in (
            "detail",
            "accept",
            "cancel",
            "code",
            "decide-change",
            "propose-change",
            "publish-notice",
            "reject",
            "request-cancellation",
            "return-",
            "review",
        )
    },  # fmt: skip
}

GROUPS = {
    "enterprises": ["enterprise_a", "enterprise_b", "unverified_enterprise"],
    "bureaus": [
        "city_bureau", "sibling_city_bureau", "other_province_bureau", "national_bureau",
    ],
    "panelists": ["panelist_assigned", "panelist_conflicted"],
    "others": ["institution", "provider", "publisher"],
}  # fmt: skip


def row(default, **outcomes) -> dict:
    """Who gets what at one URL: `default` for every signed-in role, LOGIN for the
    anonymous visitor, then a group (GROUPS) and finally a single role may differ."""
    return {"default": default, **outcomes}


# Finance (issue #13): who takes part, who sees enterprise A's need (杭州市, open to all).
_FINANCE_PARTIES = row("403", enterprises="ok", bureaus="ok", admin="ok", institution="ok")
_FINANCE_NEED_SEEN = {
    "enterprise_a": "ok", "enterprise_b": "404", "unverified_enterprise": "404",
    "city_bureau": "ok", "sibling_city_bureau": "404", "other_province_bureau": "404",
    "national_bureau": "ok", "admin": "ok",
}  # fmt: skip
_FINANCE_NEED_HIDDEN = {
    "enterprise_b": "ok/404", "unverified_enterprise": "ok/404",
    "sibling_city_bureau": "ok/404", "other_province_bureau": "ok/404",
}  # fmt: skip


# The finance API (issue #13): as the pages; panelists, providers and publishers 403.
_FINANCE_OUT = {"panelists": "403", "provider": "403", "publisher": "403"}
_FINANCE_SEEN = row("404", institution="ok", **_FINANCE_NEED_SEEN, **_FINANCE_OUT)
FINANCE_API_ROWS = {
    "institution-list": row("ok", **_FINANCE_OUT),
    "institution-detail": row("ok", **_FINANCE_OUT),
    **{
        f"institution-{n}": row(
            "ok/403", city_bureau="ok", national_bureau="ok", admin="ok", **_FINANCE_OUT
        )
        for n in ("approve", "suspend")
    },
    "financial-product-list": row("ok/403", institution="ok", **_FINANCE_OUT),
    # Staff and enterprises read the bank's product; only the bank changes it.
    "financial-product-detail": row("ok/403", institution="ok", **_FINANCE_OUT),
    **{
        f"financial-product-{n}": row("ok/403", institution="ok", **_FINANCE_OUT)
        for n in ("deactivate", "reactivate")
    },
    "financing-need-list": row("ok/403", enterprises="ok", **_FINANCE_OUT),
    "financing-need-detail": _FINANCE_SEEN,
    **{
        f"financing-need-{n}": row(
            "ok/403", enterprise_a="ok", **_FINANCE_NEED_HIDDEN, **_FINANCE_OUT
        )
        for n in ("publish", "withdraw")
    },
    **{
        f"financing-need-{n}": row(
            "ok/403", institution="ok", **_FINANCE_NEED_HIDDEN, **_FINANCE_OUT
        )
        for n in ("interest", "offer")
    },
    "financing-need-message": row(
        "ok/403", enterprise_a="ok", institution="ok", **_FINANCE_NEED_HIDDEN, **_FINANCE_OUT
    ),
    "financing-offer-list": row("ok", **_FINANCE_OUT),
    "financing-offer-detail": _FINANCE_SEEN,
    **{
        f"financing-offer-{n}": row(
            "ok/403", enterprise_a="ok", **_FINANCE_NEED_HIDDEN, **_FINANCE_OUT
        )
        for n in ("accept", "decline")
    },
    "financing-offer-fund": row("ok/403", institution="ok", **_FINANCE_NEED_HIDDEN, **_FINANCE_OUT),
    "recommendation-list": row("403", bureaus="ok", admin="ok"),
    "recommendation-enterprises": row("403", bureaus="ok", admin="ok"),
    "credit-score-list": row("ok", **_FINANCE_OUT),
    "credit-score-detail": _FINANCE_SEEN,
    "listing-case-list": row("403", bureaus="ok", admin="ok"),
    "listing-case-detail": row(
        "403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
    ),  # fmt: skip
    "listing-case-advance": row(
        "403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
    ),  # fmt: skip
}


# The voucher API (issue #10): the parties (staff, enterprises, provider users) read what
# visible_to gives them; panelists, institutions and publishers are refused (403). Staff of
# the programme's own jurisdiction (杭州市) act; staff above (national) see but may not.
_VOUCHER_PARTIES = {"panelists": "403", "others": "403", "provider": "ok"}
_PROGRAM_ACTION = row(
    "ok/403", enterprise_b="ok/404", sibling_city_bureau="ok/404",
    other_province_bureau="ok/404", city_bureau="ok", admin="ok", panelists="403",
    others="403", provider="ok/403",
)  # fmt: skip
_PARTY_DETAIL = row(
    "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok",
    **_VOUCHER_PARTIES,
)  # fmt: skip
_STAFF_ACTION = row(
    "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok/403", admin="ok",
    panelists="403", others="403", provider="ok/403",
)  # fmt: skip
_PARTY_LIST = row("ok", **_VOUCHER_PARTIES)
_PROVIDER_WRITES = row("ok/403", provider="ok", panelists="403", others="403")


def _api(declared: dict) -> dict:
    """A scenario API row: the roles with no part in scenarios are refused (403)."""
    return {**declared, "panelists": "403", "institution": "403", "provider": "403"}


# Scenarios (issue #12): published scenarios and their lists are public; a response only
# for A (who sent it), the publisher and 杭州市's staff (national above sees it); others 404.
SCENARIO_ROWS = {
    "scenarios:public-list": row("ok", anonymous="ok"),
    "scenarios:scenario-detail": row("ok", anonymous="ok"),
    "scenarios:list-detail": row("ok", anonymous="ok"),
    "scenarios:catalogue": row("ok"),
    "scenarios:scenario-edit": row("403", publisher="ok"),
    "scenarios:scenario-create": row("403", publisher="ok"),
    "scenarios:award": row("403", publisher="ok"),
    "scenarios:publisher-home": row("403", publisher="ok"),
    "scenarios:list-create": row("ok/403", publisher="ok"),
    "scenarios:respond": row("403", enterprises="ok"),
    "scenarios:scenario-act": row("ok/403", city_bureau="ok", admin="ok"),
    "scenarios:response-list": row(
        "403", enterprises="ok", bureaus="ok", admin="ok", publisher="ok"
    ),
    "scenarios:response-detail": row(
        "404",
        enterprise_a="ok",
        publisher="ok",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),  # fmt: skip
    "scenarios:response-act": row(
        "ok/404",
        enterprise_a="ok/403",
        publisher="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
    ),  # fmt: skip
    "scenarios:review": row("403", bureaus="ok", admin="ok"),
    "scenarios:publisher-act": row(
        "ok/404", city_bureau="ok", admin="ok", national_bureau="ok/403"
    ),
    "scenarios:first-purchase-act": row(
        "ok/404",
        city_bureau="ok",
        admin="ok",
        national_bureau="ok/403",
        enterprise_a="ok/403",
        publisher="ok/403",
    ),  # fmt: skip
    # The API: panelists, institutions and providers have no part (403).
    "scenario-list": _api(row("ok")),
    "scenario-detail": _api(row("ok")),
    **{
        f"scenario-{n}": _api(row("ok/403", publisher="ok"))
        for n in ("submit", "close", "cancel", "award")
    },
    **{
        f"scenario-{n}": _api(row("ok/403", city_bureau="ok", admin="ok"))
        for n in ("publish", "return-")
    },
    "scenario-respond": _api(row("ok/403", enterprises="ok")),
    "scenario-response-list": _api(row("ok")),
    "scenario-response-detail": _api(
        row(
            "404",
            enterprise_a="ok",
            publisher="ok/403",
            city_bureau="ok/403",
            national_bureau="ok/403",
            admin="ok/403",
        )
    ),  # fmt: skip
    **{
        f"scenario-response-{n}": _api(
            row(
                "ok/404",
                enterprise_a="ok/403",
                publisher="ok",
                city_bureau="ok/403",
                national_bureau="ok/403",
                admin="ok/403",
            )
        )
        for n in ("shortlist", "outcome")
    },  # fmt: skip
    "scenario-response-withdraw": _api(
        row(
            "ok/404",
            enterprise_a="ok",
            publisher="ok/403",
            city_bureau="ok/403",
            national_bureau="ok/403",
            admin="ok/403",
        )
    ),  # fmt: skip
    "scenario-response-messages": _api(
        row(
            "404",
            enterprise_a="ok",
            publisher="ok",
            city_bureau="ok",
            admin="ok",
            national_bureau="ok/403",
        )
    ),  # fmt: skip
    "scenario-publisher-list": _api(row("ok/403", publisher="ok")),
    "scenario-publisher-detail": _api(
        row("404", city_bureau="ok", national_bureau="ok", admin="ok")
    ),
    **{
        f"scenario-publisher-{n}": _api(
            row("ok/404", city_bureau="ok", admin="ok", national_bureau="ok/403")
        )
        for n in ("approve", "reject")
    },
    "first-purchase-list": _api(row("ok")),
    "first-purchase-detail": _api(
        row(
            "404",
            enterprise_a="ok",
            publisher="ok",
            city_bureau="ok",
            national_bureau="ok",
            admin="ok",
        )
    ),  # fmt: skip
    **{
        f"first-purchase-{n}": _api(
            row(
                "ok/404",
                enterprise_a="ok/403",
                publisher="ok/403",
                city_bureau="ok",
                admin="ok",
                national_bureau="ok/403",
            )
        )
        for n in ("confirm", "reject")
    },  # fmt: skip
    "innovative-product-list": row("ok"),
    # Matching (为我推荐 / 推荐企业): the enterprise's own; a scenario's for its publisher and
    # staff whose jurisdiction holds it (杭州市, and the national staff above).
    "scenarios:recommended": row("403", enterprises="ok"),
    **{
        f"scenarios:{n}": row(
            "403", publisher="ok", city_bureau="ok", national_bureau="ok", admin="ok"
        )
        for n in ("recommended-enterprises", "list-recommendation-progress")
    },
    "scenario-recommended": _api(row("403", enterprises="ok")),
    "scenario-recommended-enterprises": _api(
        row("403", publisher="ok", city_bureau="ok", national_bureau="ok", admin="ok")
    ),
    # Attachments: as the object they belong to (a published scenario: everyone).
    "scenarios:scenario-attachment": row("ok", anonymous="ok"),
    "scenarios:response-attachment": row(
        "404",
        enterprise_a="ok",
        publisher="ok",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),  # fmt: skip
    # Typical cases: public; 杭州市's staff (and admins) mark and take them down.
    "scenarios:case-list": row("ok", anonymous="ok"),
    "scenarios:case-detail": row("ok", anonymous="ok"),
    "scenarios:case-mark": row(
        "404",
        enterprise_a="403",
        publisher="403",
        city_bureau="ok",
        national_bureau="403",
        admin="ok",
    ),  # fmt: skip
    "scenarios:case-unpublish": row("ok/403", city_bureau="ok", admin="ok"),
    "typical-case-list": row("ok", anonymous="ok"),
    "typical-case-detail": row("ok", anonymous="ok"),
}


VOUCHER_ROWS = {
    # Staff create in their own jurisdiction only: a body without it (as here) is a 403.
    "voucher-program-list": row(
        "ok/403", admin="ok", panelists="403", others="403", provider="ok/403"
    ),
    "voucher-program-detail": row(
        "ok/403",
        enterprise_b="404",
        sibling_city_bureau="404",
        other_province_bureau="404",
        city_bureau="ok",
        admin="ok",
        panelists="403",
        others="403",
        provider="ok/403",
    ),  # fmt: skip
    **{
        f"voucher-program-{n}": _PROGRAM_ACTION
        for n in ("publish", "new-version", "close", "withdraw")
    },  # fmt: skip
    "voucher-program-eligibility": row(
        "ok",
        enterprise_b="404",
        sibling_city_bureau="404",
        other_province_bureau="404",
        panelists="403",
        others="403",
    ),  # fmt: skip
    "provider-list": _PROVIDER_WRITES,
    "provider-detail": row(
        "ok/403", enterprise_b="404", provider="ok", admin="ok", panelists="403", others="403"
    ),
    "provider-join-program": row(
        "ok/403", enterprise_b="ok/404", provider="ok", panelists="403", others="403"
    ),
    # Staff read a provider's declarations; only its own users (or an admin) declare.
    "provider-related-parties": row(
        "403", bureaus="ok/403", admin="ok", enterprise_b="404", provider="ok"
    ),
    "provider-product-list": _PROVIDER_WRITES,
    "provider-product-detail": row(
        "ok/403", enterprise_b="404", provider="ok", panelists="403", others="403"
    ),
    "program-provider-list": _PARTY_LIST,
    "program-provider-detail": row(
        "ok",
        enterprise_b="404",
        sibling_city_bureau="404",
        other_province_bureau="404",
        **_VOUCHER_PARTIES,
    ),  # fmt: skip
    **{f"program-provider-{n}": _PROGRAM_ACTION for n in ("approve", "suspend", "remove")},
    "voucher-application-list": row(
        "ok/403", enterprises="ok", panelists="403", others="403", provider="ok/403"
    ),
    "voucher-application-detail": _PARTY_DETAIL,
    **{f"voucher-application-{n}": _STAFF_ACTION for n in ("approve", "return-", "reject")},
    "voucher-application-withdraw": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
        panelists="403",
        others="403",
        provider="ok/403",
    ),  # fmt: skip
    "voucher-application-resubmit": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
        panelists="403",
        others="403",
        provider="ok/403",
    ),  # fmt: skip
    # Discount mode: the provider is the claimant; the enterprise may not resubmit for it.
    "claim-resubmit": row(
        "ok/404",
        enterprise_a="ok/403",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
        **_VOUCHER_PARTIES,
    ),  # fmt: skip
    "voucher-list": _PARTY_LIST,
    "voucher-detail": _PARTY_DETAIL,
    "voucher-verify": _PARTY_LIST,
    "voucher-cancel": _STAFF_ACTION,
    "claim-list": row(
        "ok", bureaus="ok/403", admin="ok/403", panelists="403", others="403", provider="ok"
    ),
    "claim-detail": _PARTY_DETAIL,
    # Discount mode: the provider claims, enterprise A (the counterparty) confirms; the
    # provider's own POST is refused by the service (400).
    "claim-confirm": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
        **_VOUCHER_PARTIES,
    ),  # fmt: skip
    **{f"claim-{n}": _STAFF_ACTION for n in ("verify", "settle", "reject")},
    "claim-return-": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok",
        national_bureau="ok/403",
        admin="ok",
        **_VOUCHER_PARTIES,
    ),  # fmt: skip
    "ledger-entry-list": _PARTY_LIST,
    "ledger-entry-detail": _PARTY_DETAIL,
    "reconciliation-list": row("403", bureaus="ok", admin="ok"),
    "reconciliation-detail": row(
        "403",
        city_bureau="ok",
        national_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        admin="ok",
    ),  # fmt: skip
}

# A write that a role may not make is a 403 (or 404 outside its view), never an error
# message and a redirect back: page views check the permission predicate before they read
# the form or call the service (tests/test_permission_matrix.py's
# test_no_page_refuses_a_role_with_a_message holds them to it).
ROWS = {
    ADMIN: row(LOGIN, admin=OK),
    "adjustment-proposal-amend": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "adjustment-proposal-appeal": row("ok/404", city_bureau="ok", national_bureau="ok", admin="ok"),
    "adjustment-proposal-bulk-confirm": row("ok/403", bureaus="ok", admin="ok"),
    "adjustment-proposal-confirm": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "adjustment-proposal-decide-appeal": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "adjustment-proposal-detail": row("404", city_bureau="ok", national_bureau="ok", admin="ok"),
    "adjustment-proposal-list": row("ok"),
    "adjustment-proposal-reject": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "adjustment-run-detail": row("404", city_bureau="ok", national_bureau="ok", admin="ok"),
    "adjustment-run-list": row("ok/403", bureaus="ok", admin="ok"),
    "adjustment:adjustment": row("403", bureaus="ok", admin="ok"),
    "adjustment:adjustment-progress": row("403", bureaus="ok", admin="ok"),
    "adjustment:adjustment-rules": row("403", bureaus="ok", admin="ok"),
    "adjustment:adjustment-start": row("ok/403", bureaus="ok", admin="ok"),
    "adjustment:appeal-decide": row(
        "ok/403", sibling_city_bureau="ok/404", other_province_bureau="ok/404"
    ),
    "adjustment:appeal-file": row(
        "ok/404", city_bureau="ok/403", national_bureau="ok/403", admin="ok/403"
    ),
    "adjustment:my-adjustments": row("403", enterprises="ok"),
    "adjustment:proposal-bulk": row("ok/403", bureaus="ok", admin="ok"),
    "adjustment:proposal-decide": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "adjustment:proposal-detail": row("404", city_bureau="ok", national_bureau="ok", admin="ok"),
    "annual-report-detail": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "annual-report-list": row("ok"),
    "annual-cultivation-report-detail": row(
        "404", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "annual-cultivation-report-download": row(
        "404", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "annual-cultivation-report-list": row("ok/403", bureaus="ok", admin="ok"),
    "api-docs": row("ok", anonymous="ok"),
    "certificate-verify": row("ok", anonymous="ok"),
    "document-certificate": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "document-enterprise-profile": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "document-round-minutes": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "document-round-notice": row("ok", anonymous="ok"),
    "document-round-results": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "api-me": row("ok"),
    "api-root": row("ok"),
    "api-schema": row("ok", anonymous="ok"),
    "api-token": row("ok", anonymous="ok"),
    # Each user's own keys: another user's key is 404.
    "api-token-list": row("ok"),
    "api-token-revoke": row("ok/404", enterprise_a="ok"),
    "account-tokens": row("ok"),
    "account-token-revoke": row("ok/404", enterprise_a="ok"),
    "application-detail": row(
        "404",
        enterprise_a="ok",
        city_bureau="ok",
        national_bureau="ok",
        panelist_assigned="ok",
        admin="ok",
    ),
    "application-list": row("ok"),
    # Exports: an export is its requester's alone (the city bureau's here); the export page
    # of a list is open to the roles that have the list.
    "export-detail": row("404", city_bureau="ok"),
    "export-download": row("404", city_bureau="ok"),
    "export-list": row("ok"),
    "exports:detail": row("404", city_bureau="ok"),
    "exports:download": row("404", city_bureau="ok"),
    "exports:list": row("ok"),
    "exports:progress": row("404", city_bureau="ok"),
    "exports:start": row("403", bureaus="ok", admin="ok"),
    "audit:list": row("403", other_province_bureau="ok", national_bureau="ok", admin="ok"),
    "data-resource-accept": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "data-resource-cancel": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "data-resource-code": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "data-resource-decide-change": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "data-resource-detail": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "data-resource-list": row("ok/403", enterprises="ok"),
    "data-resource-propose-change": row(
        "ok/404", enterprise_a="ok", city_bureau="ok/403", national_bureau="ok/403", admin="ok/403"
    ),
    "data-resource-publish-notice": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "data-resource-reject": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "data-resource-request-cancellation": row(
        "ok/404", enterprise_a="ok", city_bureau="ok/403", national_bureau="ok/403", admin="ok/403"
    ),
    "data-resource-return-": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "data-resource-review": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "enterprise-detail": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "enterprise-list": row("ok"),
    "enterprise-documents": row(
        "404",
        unverified_enterprise="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
    ),  # fmt: skip
    "enterprise-submit-verification": row(
        "ok/404",
        unverified_enterprise="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
    ),  # fmt: skip
    "enterprise-approve-verification": row(
        "ok/404", unverified_enterprise="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    # The object is looked up before the body is read: outside the caller's view, a 404.
    "enterprise-return-verification": row(
        "ok/404", unverified_enterprise="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "transfer-request-list": row("ok"),
    # The enterprise's members follow its request (A's staff asked; Beijing decides); whoever
    # asked, or a member, withdraws it.
    "transfer-request-detail": row(
        "404",
        enterprise_a="ok",
        city_bureau="ok",
        other_province_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),  # fmt: skip
    "transfer-request-withdraw": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok",
        other_province_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
    ),  # fmt: skip
    "transfer-request-accept": row(
        "ok/404",
        enterprise_a="ok/403",
        city_bureau="ok/403",
        other_province_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),  # fmt: skip
    "transfer-request-reject": row(
        "ok/404",
        enterprise_a="ok/403",
        city_bureau="ok/403",
        other_province_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),  # fmt: skip
    "growth-label-detail": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "growth-label-list": row("ok"),
    "healthz": row("ok", anonymous="ok"),
    "home": row("ok"),
    "login": row("ok", anonymous="ok"),
    "logout": row("ok/login", anonymous="ok/login"),
    "notification-list": row("ok"),
    "notification-read-all": row("ok"),
    "notifications:list": row("ok"),
    "notifications:read": row("ok"),
    "password_change": row("ok"),
    "password_reset": row("ok", anonymous="ok"),
    "password_reset_complete": row("ok", anonymous="ok"),
    "password_reset_confirm": row("ok", anonymous="ok"),
    "password_reset_done": row("ok", anonymous="ok"),
    "policies:grant-deliver": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "policies:grant-respond": row(
        "403", enterprise_a="ok", enterprise_b="404", unverified_enterprise="404"
    ),
    "policies:my-policies": row("403", enterprises="ok"),
    "conditions:builder-row": row("403", bureaus="ok", admin="ok", institution="ok"),
    "policies:policy-create": row("403", bureaus="ok", admin="ok"),
    "policies:policy-detail": row(
        "403",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        admin="ok",
    ),
    "policies:policy-edit": row(
        "403",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        admin="ok",
    ),
    "policies:policy-list": row("403", bureaus="ok", admin="ok"),
    "policies:policy-preview": row("ok/403", bureaus="ok", admin="ok"),
    "policies:policy-progress": row(
        "403",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        admin="ok",
    ),
    "policies:policy-publish": row(
        "403",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        admin="ok",
    ),
    "policies:policy-rematch": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "policies:policy-withdraw": row(
        "403",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        admin="ok",
    ),
    "policy-detail": row(
        "403",
        enterprise_a="ok/403",
        enterprise_b="404/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        admin="ok",
    ),
    "policy-grant-accept": row(
        "403",
        enterprise_a="ok",
        enterprise_b="ok/404",
        unverified_enterprise="ok/404",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "policy-grant-decline": row(
        "403",
        enterprise_a="ok",
        enterprise_b="ok/404",
        unverified_enterprise="ok/404",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "policy-grant-deliver": row(
        "403",
        enterprises="ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "policy-grant-detail": row(
        "403",
        enterprise_a="ok",
        enterprise_b="404",
        unverified_enterprise="404",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        admin="ok",
    ),
    "policy-grant-list": row("ok", panelists="403", others="403"),
    "policy-list": row("ok", enterprises="ok/403", panelists="403", others="403"),
    "policy-preview": row("ok", enterprises="ok/403", panelists="403", others="403"),
    "policy-publish": row(
        "403",
        enterprises="ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        national_bureau="ok",
        admin="ok",
    ),
    "policy-withdraw": row(
        "ok",
        enterprises="ok/403",
        panelists="403",
        others="403",
        sibling_city_bureau="ok/404",  # reads the province's policy, manages none
        other_province_bureau="ok/404",
    ),  # fmt: skip
    "region-detail": row("ok", anonymous="ok"),
    "region-list": row("ok", anonymous="ok"),
    "registry:dashboard": row("403", bureaus="ok", admin="ok"),
    # Staff's formal-review queue across their rounds (issue #14): staff only; each sees the
    # rounds they manage (an empty list elsewhere), others are refused.
    "selection:review-queue": row("403", bureaus="ok", admin="ok"),
    "formal-review-queue-list": row("403", bureaus="ok", admin="ok"),
    "selection:review-queue-eligible": row("ok/403", bureaus="ok", admin="ok"),
    "registry:enterprise-detail": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:enterprise-edit": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:enterprise-list": row("403", bureaus="ok", admin="ok"),
    "registry:join": row("ok", anonymous="ok"),
    "registry:membership-decide": row(
        "ok/404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:membership-list": row("ok", panelists="403", others="403"),
    # An enterprise's own people only (GET is 405 for every signed-in user: POST only).
    "registry:member-remove": row("ok/404", enterprise_a="ok"),
    "registry:member-make-admin": row("ok/404", enterprise_a="ok"),
    "registry:enterprise-leave": row("ok/404", enterprise_a="ok"),
    # Verification: the enterprise's members upload and submit; staff of its jurisdiction
    # decide and read the documents; everyone else is kept out (404).
    "registry:verification": row(
        "404", unverified_enterprise="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:verification-upload": row(
        "ok/404",
        unverified_enterprise="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
    ),  # fmt: skip
    "registry:verification-submit": row(
        "ok/404",
        unverified_enterprise="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
    ),  # fmt: skip
    "registry:verification-decide": row(
        "ok/404",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),  # fmt: skip
    "registry:verification-queue": row("403", bureaus="ok", admin="ok"),
    "registry:document-download": row(
        "404", unverified_enterprise="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    # Transfers: staff on either side see the request; the receiving side (Beijing here, and
    # national staff above both) decides, the requesting side is refused (403).
    "registry:transfer-list": row("403", bureaus="ok", admin="ok"),
    "registry:transfer-decide": row(
        "ok/404",
        enterprise_a="ok/403",
        city_bureau="ok/403",
        other_province_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),  # fmt: skip
    "registry:transfer-withdraw": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok",
        other_province_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
    ),  # fmt: skip
    "registry:my-enterprise": row("403", enterprises="ok"),
    "registry:record-add": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:record-revoke": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:register": row("ok", anonymous="ok"),
    "registry:report-accept": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:report-edit": row("403", enterprises="ok"),
    # The enterprise's own reports; staff's queue of their jurisdiction's (issue #14).
    "registry:report-list": row("403", enterprises="ok", bureaus="ok", admin="ok"),
    # One filed report in full: staff of its jurisdiction; its own members are refused (403),
    # everyone who cannot see the enterprise gets 404.
    "registry:report-review": row(
        "404", enterprise_a="403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:report-bulk-accept": row("ok/403", bureaus="ok", admin="ok"),
    "registry:report-return": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:service-add": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:service-done": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    # Staff's follow-ups across their jurisdiction (issue #14); a record's edit and delete:
    # staff of its enterprise's jurisdiction, its own members 403, everyone else 404.
    "registry:follow-up-list": row("403", bureaus="ok", admin="ok"),
    "registry:entry-list": row("403", bureaus="ok", admin="ok"),
    "registry:service-list": row("403", bureaus="ok", admin="ok"),
    "follow-up-list": row("403", bureaus="ok", admin="ok"),
    "registry:service-edit": row(
        "404", enterprise_a="403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "registry:service-delete": row(
        "404", enterprise_a="403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "resources:notice": row("ok", anonymous="ok"),
    "resources:resource-act": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "resources:resource-apply": row("403", enterprises="ok"),
    "resources:resource-cancel-request": row(
        "ok/404", enterprise_a="ok", city_bureau="ok/403", national_bureau="ok/403", admin="ok/403"
    ),
    "resources:resource-change": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "resources:resource-detail": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "resources:resource-edit": row(
        "404", enterprise_a="ok", city_bureau="403", national_bureau="403", admin="403"
    ),
    "resources:resource-list": row("403", bureaus="ok", admin="ok"),
    "resources:resource-mine": row("403", enterprises="ok"),
    "resources:revision-decide": row(
        "ok/404", enterprise_a="ok/403", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    # Vouchers: the parties (enterprises, staff, providers) see their own; the roles outside
    # the flow get 403; another party's object is a 404.
    "vouchers:overview": row("403", enterprises="ok", bureaus="ok", admin="ok", provider="ok"),
    "vouchers:program-list": row("403", enterprises="ok", bureaus="ok", admin="ok", provider="ok"),
    "vouchers:application-list": row(
        "403", enterprises="ok", bureaus="ok", admin="ok", provider="ok"
    ),
    "vouchers:voucher-list": row("403", enterprises="ok", bureaus="ok", admin="ok", provider="ok"),
    "vouchers:claim-list": row("403", enterprises="ok", bureaus="ok", admin="ok", provider="ok"),
    "vouchers:check": row("ok", anonymous="ok"),
    # Finance (issue #13): staff, enterprises and institution users take part; panelists,
    # providers and publishers are refused (403). A need outside the caller's view is 404.
    "finance:overview": _FINANCE_PARTIES,
    "finance:need-list": _FINANCE_PARTIES,
    "finance:product-list": _FINANCE_PARTIES,
    "finance:need-create": row("403", enterprises="ok"),
    "finance:need-detail": row("403", institution="ok", **_FINANCE_NEED_SEEN),
    "finance:need-message": row(
        "ok/403",
        enterprise_a="ok",
        enterprise_b="ok/404",
        unverified_enterprise="ok/404",
        institution="ok",
    ),  # fmt: skip
    "finance:need-meeting": row("ok/403", institution="ok", **_FINANCE_NEED_HIDDEN),
    "finance:offer-create": row(
        "403",
        institution="ok",
        enterprise_b="404",
        unverified_enterprise="404",
        sibling_city_bureau="404",
        other_province_bureau="404",
    ),  # fmt: skip
    "finance:need-act": row("ok/403", enterprise_a="ok", **_FINANCE_NEED_HIDDEN),
    "finance:offer-act": row("ok/403", enterprise_a="ok", **_FINANCE_NEED_HIDDEN),
    "finance:product-create": row("403", institution="ok"),
    # The bank's own product: others who see active products 403, the rest 403 too.
    "finance:product-edit": row("403", institution="ok"),
    "finance:product-act": row("ok/403", institution="ok"),
    "finance:institution-list": row("403", bureaus="ok", admin="ok", institution="ok"),
    "finance:institution-register": row("ok/403", institution="ok"),
    "finance:institution-act": row("ok/403", city_bureau="ok", national_bureau="ok", admin="ok"),
    "finance:recommend": row("403", bureaus="ok", admin="ok"),
    "finance:enterprise-recommend": row("403", bureaus="ok", admin="ok"),
    "finance:enterprise-list": row("403", institution="ok"),
    # Enterprise A is recommended to the bank (tests/finance/world.py).
    "finance:enterprise-detail": row("403", institution="ok"),
    "finance:my-score": row("403", enterprises="ok"),
    "finance:scorecards": row("403", bureaus="ok", admin="ok"),
    "finance:score-run": row("ok/403", national_bureau="ok", admin="ok"),
    "finance:listing-list": row("403", bureaus="ok", admin="ok"),
    "finance:listing-create": row("ok/403", bureaus="ok", admin="ok"),
    "finance:listing-advance": row(
        "ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
    ),  # fmt: skip
    "vouchers:application-act": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        admin="ok",
    ),  # fmt: skip
    "vouchers:application-detail": row(
        "403",
        enterprise_a="ok",
        enterprise_b="404",
        unverified_enterprise="404",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        provider="ok",
        admin="ok",
    ),  # fmt: skip
    "vouchers:application-withdraw": row(
        "ok/403",
        enterprise_a="ok",
        enterprise_b="ok/404",
        unverified_enterprise="ok/404",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
    ),  # fmt: skip
    # Only the enterprise resubmits (the world's application is not returned: a redirect).
    "vouchers:application-resubmit": row(
        "403",
        enterprise_a="ok",
        enterprise_b="404",
        unverified_enterprise="404",
        sibling_city_bureau="404",
        other_province_bureau="404",
    ),  # fmt: skip
    # Discount mode: the provider resubmits its claims.
    "vouchers:claim-resubmit": row(
        "403",
        enterprise_b="404",
        unverified_enterprise="404",
        sibling_city_bureau="404",
        other_province_bureau="404",
        provider="ok",
    ),  # fmt: skip
    "vouchers:apply": row("403", enterprise_a="ok", enterprise_b="404", unverified_enterprise="ok"),
    # confirm: the counterparty (the enterprise in discount mode) only.
    "vouchers:claim-act": row(
        "ok/403",
        enterprise_a="ok",
        enterprise_b="ok/404",
        unverified_enterprise="ok/404",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
    ),  # fmt: skip
    "vouchers:claim-detail": row(
        "403",
        enterprise_a="ok",
        enterprise_b="404",
        unverified_enterprise="404",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        provider="ok",
        admin="ok",
    ),  # fmt: skip
    # Discount mode: the provider files; another enterprise or outside staff get 404.
    "vouchers:claim-file": row(
        "403",
        enterprise_b="404",
        unverified_enterprise="404",
        sibling_city_bureau="404",
        other_province_bureau="404",
        provider="ok",
    ),  # fmt: skip
    "vouchers:membership-act": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        admin="ok",
    ),  # fmt: skip
    "vouchers:product-add": row("403", provider="ok"),
    "vouchers:product-edit": row("403", provider="ok"),
    "vouchers:program-act": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        admin="ok",
    ),  # fmt: skip
    "vouchers:program-dashboard": row(
        "403",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        admin="ok",
    ),  # fmt: skip
    "vouchers:program-detail": row(
        "403",
        enterprise_a="ok",
        enterprise_b="404",
        unverified_enterprise="ok",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        provider="ok",
        admin="ok",
    ),  # fmt: skip
    "vouchers:program-edit": row(
        "403",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        admin="ok",
    ),  # fmt: skip
    "vouchers:program-join": row("ok/403", provider="ok"),
    "vouchers:provider-profile": row("403", provider="ok"),
    "vouchers:related-party-add": row("ok/403", provider="ok"),
    "vouchers:verify": row("403", provider="ok"),
    "vouchers:voucher-cancel": row(
        "ok/403",
        city_bureau="ok",
        sibling_city_bureau="ok/404",
        other_province_bureau="ok/404",
        admin="ok",
    ),  # fmt: skip
    "vouchers:voucher-detail": row(
        "403",
        enterprise_a="ok",
        enterprise_b="404",
        unverified_enterprise="404",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        provider="ok",
        admin="ok",
    ),  # fmt: skip
    "vouchers:reconciliation": row("403", bureaus="ok", admin="ok"),
    "vouchers:program-create": row("403", bureaus="ok", admin="ok"),
    "round-detail": row(
        "404",
        enterprise_a="ok",
        unverified_enterprise="ok",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "round-list": row("ok"),
    "score-sheet-detail": row(
        "404", city_bureau="ok", national_bureau="ok", panelist_assigned="ok", admin="ok"
    ),
    "score-sheet-list": row("ok"),
    "selection:application-detail": row(
        "404",
        enterprise_a="ok",
        city_bureau="ok",
        national_bureau="ok",
        panelist_assigned="ok",
        admin="ok",
    ),
    "selection:application-edit": row(
        "404",
        enterprise_a="ok",
        city_bureau="403",
        national_bureau="403",
        panelist_assigned="403",
        admin="403",
    ),
    "selection:application-review": row(
        "ok/404",
        enterprise_a="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        panelist_assigned="ok/403",
        admin="ok",
    ),
    "selection:application-start": row(
        "ok/404",
        enterprise_a="ok",
        unverified_enterprise="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        admin="ok/403",
    ),
    "selection:application-submit": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        panelist_assigned="ok/403",
        admin="ok/403",
    ),
    "selection:application-withdraw": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        panelist_assigned="ok/403",
        admin="ok/403",
    ),
    "selection:assignment-add": row(
        "ok/404", enterprise_a="ok/403", unverified_enterprise="ok/403"
    ),
    "selection:assignment-remove": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:attachment-add": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        panelist_assigned="ok/403",
        admin="ok/403",
    ),
    "selection:attachment-download": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "selection:attachment-remove": row(
        "ok/404",
        enterprise_a="ok",
        city_bureau="ok/403",
        national_bureau="ok/403",
        panelist_assigned="ok/403",
        admin="ok/403",
    ),
    "selection:conflict-declare": row(
        "ok/404",
        city_bureau="ok/403",
        national_bureau="ok/403",
        panelist_assigned="ok",
        admin="ok/403",
    ),
    "selection:conflict-dismiss": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:conflict-report-decide": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:index": row("ok", panelists="403", others="403"),
    "selection:objection-evidence": row("404", enterprise_b="ok", national_bureau="ok", admin="ok"),
    "selection:objection-file": row("ok"),
    "selection:objection-list": row(
        "404",
        enterprises="403",
        city_bureau="403",
        sibling_city_bureau="403",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:objection-resolve": row(
        "ok/404", enterprise_b="ok/403", national_bureau="ok", admin="ok"
    ),
    "selection:panel-assign": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:panel-home": row("403", panelists="ok"),
    "selection:panel-member-remove": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:panel-manage": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    # The "add member" control's search and the replacement after a recusal (issue #14):
    # the round's managers, like the panel page.
    "selection:panel-candidates": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:assignment-replace": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    # Reports: documents (issue #11). Round documents follow selection:results; an
    # enterprise's documents follow its page; the annual report its requester and the
    # staff above its jurisdiction; certificate verification and the public list are open.
    "reports:annual-detail": row("404", city_bureau="ok", national_bureau="ok", admin="ok"),
    "reports:annual-download": row("404", city_bureau="ok", national_bureau="ok", admin="ok"),
    "reports:annual-progress": row("404", city_bureau="ok", national_bureau="ok", admin="ok"),
    "reports:annual-start": row("ok/403", bureaus="ok", admin="ok"),
    "reports:certificate-issue": row(
        "ok/404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "reports:certificate-lookup": row("ok", anonymous="ok"),
    "reports:certificate-pdf": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "reports:certificate-verify": row("ok", anonymous="ok"),
    "reports:enterprise-profile-pdf": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "reports:index": row("403", bureaus="ok", admin="ok"),
    # The voucher programme statement follows the programme's dashboard.
    "reports:program-statement-pdf": row(
        "403",
        city_bureau="ok",
        sibling_city_bureau="404",
        other_province_bureau="404",
        national_bureau="ok",
        admin="ok",
    ),  # fmt: skip
    "reports:round-minutes-pdf": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "reports:round-results-pdf": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "reports:round-results-public-pdf": row("ok", anonymous="ok"),
    # Round documents as jobs: started by the round's staff (POST only, as the PDF's
    # readers), followed and downloaded by the requester and the staff above.
    "reports:round-document-start": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "reports:round-document-detail": row("404", city_bureau="ok", national_bureau="ok", admin="ok"),
    "reports:round-document-progress": row(
        "404", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "reports:round-document-download": row(
        "404", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "selection:public-notice": row("ok", anonymous="ok"),
    "selection:results": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:results-confirm": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:results-override": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:round-create": row("403", bureaus="ok"),
    "selection:round-detail": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:round-edit": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:round-rubric": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:round-rules": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:round-transition": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:run-progress": row(
        "404",
        enterprise_a="403",
        unverified_enterprise="403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:run-start": row(
        "ok/404",
        enterprise_a="ok/403",
        unverified_enterprise="ok/403",
        city_bureau="ok",
        national_bureau="ok",
        admin="ok",
    ),
    "selection:sheet-detail": row(
        "404",
        city_bureau="ok/403",
        national_bureau="ok/403",
        panelist_assigned="ok",
        admin="ok/403",
    ),
    "service-record-detail": row(
        "404", enterprise_a="ok", city_bureau="ok", national_bureau="ok", admin="ok"
    ),
    "service-record-list": row("ok"),
    "set_language": row("ok", anonymous="ok"),
    "^registry/grants/(?P<rest>.*)$": row("ok", anonymous="ok"),
    "^registry/policies/(?P<rest>.*)$": row("ok", anonymous="ok"),
    "^registry/resource-notice/(?P<rest>.*)$": row("ok", anonymous="ok"),
    "^registry/resource-revisions/(?P<rest>.*)$": row("ok", anonymous="ok"),
    "^registry/resources/(?P<rest>.*)$": row("ok", anonymous="ok"),
    "^selection/adjustment/(?P<rest>.*)$": row("ok", anonymous="ok"),
    "^selection/my/adjustments/(?P<rest>.*)$": row("ok", anonymous="ok"),
    **VOUCHER_ROWS,
    **FINANCE_API_ROWS,
    **SCENARIO_ROWS,
}


def expected(key: str, role: str, method: str) -> str:
    declared = ROWS[key]
    group = next((g for g, members in GROUPS.items() if role in members), None)
    if role in declared:
        value = declared[role]
    elif group in declared:
        value = declared[group]
    elif role == "anonymous":
        value = LOGIN
    else:
        value = declared["default"]
    read, _, write = value.partition("/")
    return read if method == "get" else write or read
