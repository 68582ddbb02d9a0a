import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from config.errors import DomainError
from demo import seed

COUNTED = [
    "accounts.User",
    "accounts.Organisation",
    "registry.Enterprise",
    "registry.Membership",
    "registry.RegistryEntry",
    "registry.TierChange",
    "notifications.Notification",
    "audit.AuditEvent",
]


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


class Command(BaseCommand):
    help = "导入演示数据（幂等）：各角色演示账号、示范企业和批量生成的虚构企业。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises",
            type=int,
            default=seed.DEFAULT_ENTERPRISES,
            help=f"演示企业总数（含示范企业），默认 {seed.DEFAULT_ENTERPRISES}。",
        )
        parser.add_argument(
            "--once", action="store_true", help="演示数据已存在时直接退出（make run 使用）。"
        )

    def handle(self, *args, enterprises, once, verbosity, **options):
        if enterprises < 0:
            raise CommandError("--enterprises 不能为负数。")
        if once and seed.is_seeded():
            self.stdout.write(f"演示数据已存在（{seed.ADMIN_EMAIL}），跳过导入。")
            return
        started = time.perf_counter()
        before = _counts()
        log = self.stdout.write if verbosity >= 1 else (lambda line: None)
        try:
            seed.seed_all(enterprises=enterprises, log=log)
        except (DomainError, RuntimeError) as exc:  # e.g. a demo phone already taken
            raise CommandError(str(exc)) from exc
        after = _counts()
        created = {label: after[label] - before[label] for label in COUNTED}
        detail = "，".join(
            f"{apps.get_model(label)._meta.verbose_name} {n}" for label, n in created.items() if n
        )
        elapsed = time.perf_counter() - started
        total = sum(created.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"完成：新建 {total} 行（{detail or '无'}），用时 {elapsed:.1f} 秒。"
            )
        )
