from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, Region, Role, User
from accounts.phone import is_valid_phone, normalise_phone
from accounts.tokens import digest_of, new_key, prefix_of
from audit.services import record_event
from config.errors import DomainError


def create_account(
    *, email: str, phone: str, full_name: str, password: str, role: str, actor=None, **fields
) -> User:
    """Create a user who logs in by e-mail or phone.

    Side effects: one User; one `account.created` audit event. Raises DomainError
    when the e-mail or phone is taken or the password is weak.
    """
    email = (email or "").strip().lower()
    phone = normalise_phone(phone) if phone else None
    if phone and not is_valid_phone(phone):
        raise DomainError(_("请输入 11 位中国大陆手机号码。"), field="phone")
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("该电子邮箱已注册，请直接登录或找回密码。"), field="email")
    if phone and User.objects.filter(phone=phone).exists():
        raise DomainError(_("该手机号码已注册，请直接登录或找回密码。"), field="phone")
    candidate = User(email=email, phone=phone, full_name=full_name, role=role, **fields)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from exc
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:  # lost a race with an identical registration
        raise DomainError(_("该电子邮箱或手机号码已注册。"), field="email") from exc
    record_event(
        actor=actor or candidate,
        action="account.created",
        obj=candidate,
        after={"email": email, "role": role},
    )
    return candidate


def staff_for_region(region):
    """Active bureau users whose jurisdiction contains `region`."""
    return User.objects.filter(
        role=Role.BUREAU, is_active=True, region__path__in=Region.ancestor_paths(region.path)
    ).select_related("region")


# Active keys per user: enough for a few integrations and a spare, few enough that a script
# obtaining a key on every run is told to reuse or revoke one instead of piling them up.
MAX_ACTIVE_TOKENS = 10


def issue_api_token(*, user) -> tuple[ApiToken, str]:
    """A new API key for `user`. Returns the token row and the key, which the caller shows
    once: only its digest is stored. Earlier keys of the user keep working.

    Refusals: the user already holds MAX_ACTIVE_TOKENS active keys (counted under a lock
    on the user's row, so simultaneous requests cannot pass it together).
    Side effects: the ApiToken row; audit event (prefix only).
    """
    key = new_key()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
            raise DomainError(
                _("您已有 %(n)d 个有效的 API 令牌。请先在“我的 API 令牌”页面撤销不再使用的令牌。")
                % {"n": MAX_ACTIVE_TOKENS}
            )
        token = ApiToken.objects.create(user=user, prefix=prefix_of(key), digest=digest_of(key))
        record_event(
            actor=user, action="api_token.issued", obj=token, after={"prefix": token.prefix}
        )
    return token, key


def revoke_api_token(token, *, actor) -> ApiToken:
    """Stop a key from working, for good (the owner or an admin).

    Side effects: revoked_at set; audit event.
    """
    if not (actor.is_admin or actor.pk == token.user_id):
        raise DomainError(_("您无权撤销该令牌。"))
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            actor=actor, action="api_token.revoked", obj=token, after={"prefix": token.prefix}
        )
    return token
